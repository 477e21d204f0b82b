// Real OS processes for the multi-process tests: the generic harness (spawn Node scripts, read
// the JSON lines they print, kill them with real signals), the lock worker, and the session fleet
// (session-worker.mjs, one Connection per process). No vitest here: the fleet example and the
// benchmarks use it outside a test run. The contract suites are @sfauth/test-kit/lock (testLock)
// and @sfauth/test-kit/session-fleet (testSessionFleet).
export {
  allExited,
  killAll,
  LOCK_WORKER,
  overlappingHolds,
  spawnWorkers,
  startTogether,
  type WorkerEvent,
  type WorkerExit,
  WorkerProcess,
} from './harness.js'
export {
  countReplays,
  FLEET_APP,
  FLEET_USER,
  Fleet,
  type FleetConfig,
  fleetConfig,
  newFleetEmulator,
  percentile,
  type RoundFigures,
  SESSION_WORKER,
  seedSession,
} from './session-fleet.js'
