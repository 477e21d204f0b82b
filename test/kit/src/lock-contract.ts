// The lock contract: what every SessionLock (fileLock, redisLock, the next one) must do, in one
// process and across real OS processes. A lock package calls testLock() once with what differs
// (how to make a lock, which worker factory spawns one in another process); its own test files
// then hold only what is special about it (Redis stopped mid-wait, lock files kept inside dir).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SfAuthError } from '@sfauth/core'
import type { SessionLock } from '@sfauth/session'
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

/** What differs from one lock to the next; everything else is the contract. */
export interface LockUnderTest {
  /** The lock's name in the test titles, e.g. `fileLock`. */
  name: string
  /**
   * A fresh lock, as another part of the application (or another client) would hold it; `dir`
   * is an empty scratch directory of this test (a file lock keeps its files below it).
   */
  make(dir: string): SessionLock | Promise<SessionLock>
  /** What an ERR_LOCK_TIMEOUT message must name so an operator knows where to look (the directory, the server). */
  timeoutMentions(dir: string): string[]
  /** The same lock in another process: lock-worker.mjs imports `factory` (a module exporting `createLock(config)`) and passes it `config(dir)`. */
  worker: { factory: string; config(dir: string): Record<string, unknown> }
  /**
   * Makes the backend forget every lock while its holders live, as it happens outside the
   * holder's knowledge: Redis restarted without persistence, the lock directories removed.
   */
  forgetLocks(dir: string): Promise<void>
}

/** Spawning a dozen Node processes on a busy 2-core machine is slow: a wide margin, not a timing assertion. */
const SLOW = 90_000

/**
 * Defines the lock contract suite for one SessionLock: mutual exclusion and hand-over, names kept
 * apart, a bounded wait (ERR_LOCK_TIMEOUT naming where to look), the caller's AbortSignal
 * (ERR_LOCK_ABORTED), an idempotent release that never frees a later holder, a holder that learns
 * it lost its lease (`stillHeld()`, `signal`); across processes,
 * 8 processes × 5 iterations with one holder at a time and no lost update, and a lease that
 * outlives a live holder but not one killed with `kill -9`.
 */
export function testLock(lock: LockUnderTest): void {
  let dir: string
  let workers: WorkerProcess[] = []
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sfauth-lock-contract-'))
  })
  afterEach(() => {
    killAll(workers)
    workers = []
    rmSync(dir, { recursive: true, force: true })
  })

  describe(`${lock.name}: the lock contract in one process`, () => {
    it('excludes a second acquire until the first releases, then hands over', async () => {
      const a = await lock.make(dir)
      const b = await lock.make(dir)
      const release = await a.acquire('session', 5_000)
      let second = false
      const waiting = b.acquire('session', 5_000, { waitMs: 10_000 }).then((r) => {
        second = true
        return r
      })
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(second).toBe(false)
      await release()
      const releaseSecond = await waiting
      expect(second).toBe(true)
      await releaseSecond()
    })

    it('keeps different names apart', async () => {
      const l = await lock.make(dir)
      const a = await l.acquire('a', 5_000)
      const b = await l.acquire('b', 5_000, { waitMs: 1_000 })
      await a()
      await b()
    })

    it('rejects with ERR_LOCK_TIMEOUT after waitMs while another holds the name, naming where to look', async () => {
      const release = await (await lock.make(dir)).acquire('session', 5_000)
      const err = await (await lock.make(dir))
        .acquire('session', 5_000, { waitMs: 300 })
        .catch((e) => e)
      expect(err).toBeInstanceOf(SfAuthError)
      expect(err.errorCode).toBe('ERR_LOCK_TIMEOUT')
      for (const mention of lock.timeoutMentions(dir)) expect(err.message).toContain(mention)
      await release()
    })

    it("honours the caller's AbortSignal with ERR_LOCK_ABORTED", async () => {
      const release = await (await lock.make(dir)).acquire('session', 5_000)
      const err = await (await lock.make(dir))
        .acquire('session', 5_000, { waitMs: 60_000, signal: AbortSignal.timeout(200) })
        .catch((e) => e)
      expect(err).toBeInstanceOf(SfAuthError)
      expect(err.errorCode).toBe('ERR_LOCK_ABORTED')
      await release()
    })

    it('has a release that can be called twice and does not free a later holder', async () => {
      const l = await lock.make(dir)
      const release = await l.acquire('session', 5_000)
      await release()
      const next = await l.acquire('session', 5_000, { waitMs: 1_000 })
      await release()
      // The second holder still holds: release() of the first did nothing the second time.
      const err = await l.acquire('session', 5_000, { waitMs: 200 }).catch((e) => e)
      expect(err.errorCode).toBe('ERR_LOCK_TIMEOUT')
      await next()
    })
  })

  describe(`${lock.name}: a holder knows whether it still holds the lock`, () => {
    it('a live holder: stillHeld() is true, past several refreshes, and its signal is not aborted', async () => {
      const release = await (await lock.make(dir)).acquire('session', 2_000)
      expect(typeof release.stillHeld).toBe('function')
      expect(release.signal).toBeInstanceOf(AbortSignal)
      await new Promise((resolve) => setTimeout(resolve, 2_500))
      expect(await release.stillHeld?.()).toBe(true)
      expect(release.signal?.aborted).toBe(false)
      await release()
      // A released lock is not held.
      expect(await release.stillHeld?.()).toBe(false)
    })

    it('a lease lost while held (the backend forgot it, another took it): stillHeld() is false, the signal aborts, release() leaves the new holder alone', async () => {
      const a = await lock.make(dir)
      const b = await lock.make(dir)
      const first = await a.acquire('session', 2_000)
      await lock.forgetLocks(dir)
      const second = await b.acquire('session', 2_000, { waitMs: 30_000 })
      // Asked right before doing what the lock guards, the first holder learns it lost it...
      expect(await first.stillHeld?.()).toBe(false)
      // ...and the lock says so by itself too, at its next refresh.
      await expect.poll(() => first.signal?.aborted, { timeout: 10_000 }).toBe(true)
      expect(first.signal?.reason).toBeInstanceOf(SfAuthError)
      expect(await second.stillHeld?.()).toBe(true)
      await first()
      expect(await second.stillHeld?.()).toBe(true)
      const err = await (await lock.make(dir))
        .acquire('session', 2_000, { waitMs: 300 })
        .catch((e) => e)
      expect(err.errorCode).toBe('ERR_LOCK_TIMEOUT')
      await second()
    })
  })

  describe(`${lock.name}: the lock contract across processes`, () => {
    const base = () => ({
      factory: lock.worker.factory,
      ...lock.worker.config(dir),
      dir,
      name: 'sfauth:session',
    })

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
        // Every lock refreshes its lease well inside it (fileLock: every max(1 s, ttl / 4);
        // redisLock: every ttl / 3), so the lease runs out no sooner than half of it after the
        // kill: half the lease is a safe floor.
        expect(acquired.t - killedAt).toBeGreaterThanOrEqual(ttlMs / 2)
        await allExited([waiter])
        expect((await holder.exited).signal).toBe('SIGKILL')
      },
      SLOW,
    )
  })
}
