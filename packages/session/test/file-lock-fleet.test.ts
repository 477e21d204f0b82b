import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  allExited,
  killAll,
  LOCK_WORKER,
  overlappingHolds,
  spawnWorkers,
  startTogether,
  WorkerProcess,
} from './fleet/harness.js'

// Real OS processes on the built '@sfauth/session/file-lock' (`pnpm test` builds first).
// Spawning a dozen Node processes on a busy 2-core machine is slow: a wide margin, not a timing assertion.
const SLOW = 90_000
const factory = fileURLToPath(new URL('./fleet/file-lock-factory.mjs', import.meta.url))
let dir: string
let workers: WorkerProcess[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sfauth-file-fleet-'))
})
afterEach(() => {
  killAll(workers)
  workers = []
  rmSync(dir, { recursive: true, force: true })
})

const base = () => ({ factory, lockDir: join(dir, 'locks'), dir, name: 'sfauth:session' })

describe('fileLock across processes', () => {
  it(
    '8 processes × 5 iterations: one holder at a time, no lost update',
    async () => {
      workers = spawnWorkers(
        LOCK_WORKER,
        Array.from({ length: 8 }, () => ({
          ...base(),
          mode: 'count',
          startOnGo: true,
          iterations: 5,
          holdMs: 5,
          ttlMs: 10_000,
          waitMs: 90_000,
        })),
      )
      // All eight start contending at the same moment, not one spawn after another.
      await startTogether(workers)
      await allExited(workers)
      for (const w of workers) {
        expect(
          w.events.filter((e) => e.type === 'error'),
          w.describe(),
        ).toEqual([])
        expect(
          w.events.filter((e) => e.type === 'overlap'),
          w.describe(),
        ).toEqual([])
        expect(w.events.at(-1)?.type).toBe('done')
      }
      expect(overlappingHolds(workers)).toEqual([])
      expect(readFileSync(join(dir, 'counter'), 'utf8')).toBe('40')
    },
    SLOW,
  )

  it(
    'kill -9 of the holder: a waiter gets the lock after the lease, not while the holder lives',
    async () => {
      const ttlMs = 3_000
      const holder = new WorkerProcess(LOCK_WORKER, {
        ...base(),
        mode: 'hold',
        ttlMs,
        waitMs: 30_000,
      })
      workers = [holder]
      await holder.next('acquired')
      const waiter = new WorkerProcess(LOCK_WORKER, {
        ...base(),
        mode: 'wait',
        ttlMs,
        waitMs: 60_000,
      })
      workers.push(waiter)
      await waiter.next('ready')
      // A live holder keeps its lease fresh: two leases pass and the waiter still waits.
      await new Promise((resolve) => setTimeout(resolve, 2 * ttlMs))
      expect(waiter.events.map((e) => e.type)).toEqual(['ready'])

      const killedAt = Date.now()
      holder.kill('SIGKILL')
      const acquired = await waiter.next('acquired', 30_000)
      // The lock file was refreshed at most a second before the kill (update = max(1 s, ttl / 4)),
      // so the lock goes stale no sooner than ttl − 1 s after it: half the lease is a safe floor.
      expect(acquired.t - killedAt).toBeGreaterThanOrEqual(ttlMs / 2)
      await allExited([waiter])
      expect((await holder.exited).signal).toBe('SIGKILL')
    },
    SLOW,
  )
})
