// The fleet contract: what session({ store, lock }) must achieve for a fleet of real OS processes
// on any store and lock pair (an fs store + fileLock, Redis + redisLock, the next one). A package
// calls testSessionFleet() with its worker factory and its store; its own tests then hold only
// what is special (Redis stopped in the middle), using the context the call returns.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Emulator } from '@sfauth/emulator'
import type { SessionStore } from '@sfauth/session'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { useLoopbackEmulator } from '../loopback.js'
import type { WorkerProcess } from './harness.js'
import {
  Fleet,
  type FleetConfig,
  fleetConfig,
  newFleetEmulator,
  type RoundFigures,
  seedSession,
} from './session-fleet.js'

/** What differs from one store and lock pair to the next; everything else is the contract. */
export interface FleetUnderTest {
  /** The pair in the test titles, e.g. `session({ store, lock: fileLock() })`. */
  name: string
  /** The module session-worker.mjs imports: it exports `createStore(config)` and `createLock(config)`. */
  factory: string
  /**
   * What the factory reads (where the store and the lock live) and the lock's timings
   * (`lockTtlMs`, `lockWaitMs`); `dir` is an empty scratch directory of this test.
   */
  config(dir: string): Partial<FleetConfig> & Record<string, unknown>
  /** The store the fleet shares, opened in the test's own process to save the first session. */
  store(dir: string): SessionStore & { dispose?(): unknown }
}

/** What a package's own fleet tests use: the emulator, the saved session, a fleet of its config. */
export interface FleetContext {
  readonly emu: Emulator
  /** Saves one session (a login through OAuth2 + session({ store })) under this test's key. */
  seed(): Promise<void>
  /** Spawns one process per entry (the suite's config with the entry's changes), closed after the test. */
  start(changes: (Partial<FleetConfig> & Record<string, unknown>)[]): Promise<Fleet>
}

/** Wide bounds for a busy 2-core machine; no timing assertion. */
const SLOW = 180_000

/** One renewal for everyone: one token call, no replay, no failure, every process on the new token. */
export function expectOneRenewal(figures: RoundFigures, ok: number): void {
  expect(figures, JSON.stringify({ ...figures, latencies: undefined })).toMatchObject({
    tokenCalls: 1,
    replays: 0,
    failures: 0,
    ok,
  })
  const [token] = figures.tokens
  expect(token).toBeDefined()
  expect(new Set(figures.tokens)).toEqual(new Set([token]))
  // Every process's 'refresh' listeners learnt it, those that adopted it included.
  expect(figures.refreshed).toEqual(figures.tokens)
}

/**
 * Defines the fleet contract suite for one store and lock pair: real Node processes, each a
 * Connection with OAuth2 + session({ store, lock }) on the built packages, against the emulator
 * on 127.0.0.1 with refresh-token rotation on (a replay would revoke the whole chain):
 * 8 processes × 50 requests across two expiries cost one refresh call each, no replay, no
 * failure; `kill -9` of the process holding the lock leaves the others to renew once after its
 * lease. Returns the context for the package's own fleet tests.
 */
export function testSessionFleet(under: FleetUnderTest): FleetContext {
  const loopback = useLoopbackEmulator(newFleetEmulator)
  let dir: string
  let key: string
  let keys = 0
  let fleet: Fleet | undefined
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sfauth-session-fleet-'))
    // Each test its own key, so one shared server serves them all.
    key = `sfauth:fleet:${++keys}`
  })
  afterEach(async () => {
    await fleet?.close()
    fleet = undefined
    rmSync(dir, { recursive: true, force: true })
  })

  const context: FleetContext = {
    get emu() {
      return loopback.emu
    },
    async seed() {
      const store = under.store(dir)
      try {
        await seedSession(loopback.emu, loopback.url, store, key)
      } finally {
        await store.dispose?.()
      }
    },
    async start(changes) {
      fleet = new Fleet(
        loopback.emu,
        changes.map((more) =>
          fleetConfig(loopback.url, under.factory, { ...under.config(dir), key, ...more }),
        ),
      )
      await fleet.ready()
      return fleet
    },
  }

  describe(`${under.name}: the fleet contract`, () => {
    it(
      '8 processes × 50 requests, two expiries in a row: one refresh call per expiry, no replay, no failure',
      async () => {
        await context.seed()
        const fleet = await context.start(Array.from({ length: 8 }, () => ({})))
        // Every process restores the saved session: no token call at all.
        const warm = await fleet.round()
        expect(warm).toMatchObject({ tokenCalls: 0, failures: 0, ok: 400 })

        loopback.emu.expireSessions()
        const first = await fleet.round()
        expectOneRenewal(first, 400)

        loopback.emu.expireSessions()
        const second = await fleet.round()
        expectOneRenewal(second, 400)
        expect(second.tokens[0]).not.toBe(first.tokens[0])
      },
      SLOW,
    )

    it(
      'kill -9 of the process holding the lock: the others renew once after its lease',
      async () => {
        await context.seed()
        const fleet = await context.start([{ stallInLock: true }, {}, {}, {}])
        const [holder, ...others] = fleet.workers as [WorkerProcess, ...WorkerProcess[]]
        expect(await fleet.round()).toMatchObject({ tokenCalls: 0, failures: 0, ok: 200 })

        loopback.emu.expireSessions()
        // The holder takes the lock on its expiry and stalls inside it, before any token call.
        holder.tell('go')
        await holder.next('lock-acquired', 60_000)
        holder.kill('SIGKILL')
        await holder.exited
        expectOneRenewal(await fleet.round(90_000, others), 150)
        expect(holder.events.filter((e) => e.type === 'token-call')).toEqual([])
      },
      SLOW,
    )
  })

  return context
}
