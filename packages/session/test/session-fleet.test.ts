import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { killAll, type WorkerProcess } from './fleet/harness.js'
import { Fleet, fleetConfig, type RoundFigures, seedSession } from './fleet/session-fleet.js'
import { newEmulator } from './helpers.js'

// Real OS processes on the built packages (`pnpm test` builds first), each a Connection with
// OAuth2 + session({ store, lock: fileLock() }) on one fs store, against the emulator on
// 127.0.0.1 with refresh-token rotation on (a replay would revoke the whole chain).
// Spawning Node processes on a busy 2-core machine is slow: wide bounds, no timing assertion.
const SLOW = 180_000
const factory = fileURLToPath(new URL('./fleet/file-lock-factory.mjs', import.meta.url))
const loopback = useLoopbackEmulator(newEmulator)
let dir: string
let fleet: Fleet | undefined
const extra: WorkerProcess[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sfauth-session-fleet-'))
})
afterEach(async () => {
  await fleet?.close()
  fleet = undefined
  killAll(extra.splice(0))
  rmSync(dir, { recursive: true, force: true })
})

function config(more: Record<string, unknown> = {}) {
  return fleetConfig(loopback.url, factory, {
    storeDir: join(dir, 'store'),
    lockDir: join(dir, 'locks'),
    lockTtlMs: 2_000,
    lockWaitMs: 60_000,
    ...more,
  })
}

async function seed(): Promise<void> {
  const store = createStorage({ driver: fsDriver({ base: join(dir, 'store') }) })
  await seedSession(loopback.emu, loopback.url, store, 'sfauth:fleet')
}

/** One renewal for everyone: one token call, no replay, no failure, every process on the new token. */
function expectOneRenewal(figures: RoundFigures, processes: number, requests: number): void {
  expect(figures, JSON.stringify({ ...figures, latencies: undefined })).toMatchObject({
    tokenCalls: 1,
    replays: 0,
    failures: 0,
    ok: processes * requests,
  })
  const [token] = figures.tokens
  expect(token).toBeDefined()
  expect(new Set(figures.tokens)).toEqual(new Set([token]))
  // Every process's 'refresh' listeners learnt it, those that adopted it included.
  expect(figures.refreshed).toEqual(figures.tokens)
}

describe('session({ store, lock: fileLock() }) across processes', () => {
  it(
    '8 processes × 50 requests, two expiries in a row: one refresh call per expiry, no replay, no failure',
    async () => {
      await seed()
      fleet = new Fleet(
        loopback.emu,
        Array.from({ length: 8 }, () => config()),
      )
      await fleet.ready()
      // Every process restores the saved session: no token call at all.
      const warm = await fleet.round()
      expect(warm).toMatchObject({ tokenCalls: 0, failures: 0, ok: 400 })

      loopback.emu.expireSessions()
      const first = await fleet.round()
      expectOneRenewal(first, 8, 50)

      loopback.emu.expireSessions()
      const second = await fleet.round()
      expectOneRenewal(second, 8, 50)
      expect(second.tokens[0]).not.toBe(first.tokens[0])
    },
    SLOW,
  )

  it(
    'kill -9 of the process holding the lock: the others renew once after its lease',
    async () => {
      await seed()
      fleet = new Fleet(loopback.emu, [
        config({ stallInLock: true }),
        ...Array.from({ length: 3 }, () => config()),
      ])
      await fleet.ready()
      const [holder, ...others] = fleet.workers as [WorkerProcess, ...WorkerProcess[]]
      expect(await fleet.round()).toMatchObject({ tokenCalls: 0, failures: 0, ok: 200 })

      loopback.emu.expireSessions()
      // The holder takes the lock on its expiry and stalls inside it, before any token call.
      holder.tell('go')
      await holder.next('lock-acquired', 60_000)
      holder.kill('SIGKILL')
      await holder.exited
      const figures = await fleet.round(90_000, others)
      expectOneRenewal(figures, 3, 50)
      expect(holder.events.filter((e) => e.type === 'token-call')).toEqual([])
    },
    SLOW,
  )
})
