// Real OS processes for the multi-process tests: the generic harness (spawn Node scripts, read
// the JSON lines they print, kill them with real signals), the lock worker, the session fleet
// (session-worker.mjs, one Connection per process) and the fleet contract suite.
export {
  expectOneRenewal,
  type FleetContext,
  type FleetUnderTest,
  testSessionFleet,
} from './contract.js'
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
