import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
// The multi-process harness lives with SessionLock in @sfauth/session's tests; both packages use it.
import {
  allExited,
  killAll,
  LOCK_WORKER,
  overlappingHolds,
  spawnWorkers,
  startTogether,
  WorkerProcess,
} from '../../session/test/fleet/harness.js'
import { redisLock } from '../src/index.js'
import { hasRedisServer, type RedisServer, startRedis } from './redis-server.js'

// Real OS processes on the built @sfauth/redis (`pnpm test` builds first) and a real redis-server.
const factory = fileURLToPath(new URL('./fleet/redis-lock-factory.mjs', import.meta.url))

describe.skipIf(!hasRedisServer)('redisLock across processes', () => {
  let server: RedisServer
  let dir: string
  let workers: WorkerProcess[] = []
  const base = () => ({ factory, port: server.port, dir, name: 'sfauth:session' })

  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(async () => {
    await server?.stop('SIGKILL')
  })
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sfauth-redis-fleet-'))
  })
  afterEach(() => {
    killAll(workers)
    workers = []
    rmSync(dir, { recursive: true, force: true })
  })

  it('8 processes × 5 iterations: one holder at a time, no lost update', async () => {
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
  })

  it('kill -9 of the holder: a waiter gets the lock after the lease, not while the holder lives', async () => {
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
    // A live holder refreshes its lease (every ttl / 3): two leases pass and the waiter still waits.
    await new Promise((resolve) => setTimeout(resolve, 2 * ttlMs))
    expect(waiter.events.map((e) => e.type)).toEqual(['ready'])

    const killedAt = Date.now()
    holder.kill('SIGKILL')
    const acquired = await waiter.next('acquired', 30_000)
    // The key was refreshed at most ttl / 3 before the kill, so it expires no sooner than
    // 2/3 of the lease after it: half the lease is a safe floor.
    expect(acquired.t - killedAt).toBeGreaterThanOrEqual(ttlMs / 2)
    await allExited([waiter])
  })

  it('Redis stopped mid-wait: a clear error within seconds, the holder does not crash; Redis back: locking works again', async () => {
    // The holder's client gives up on a command quickly, so its lease refresh fails while
    // Redis is down: that must not crash it (a rejected refresh in a timer would).
    const holder = new WorkerProcess(LOCK_WORKER, {
      ...base(),
      mode: 'hold',
      ttlMs: 1_500,
      waitMs: 30_000,
      maxRetriesPerRequest: 0,
    })
    workers = [holder]
    await holder.next('acquired')
    // The waiter's client has ioredis's defaults (reconnect forever, queue commands meanwhile).
    const waiter = new WorkerProcess(LOCK_WORKER, {
      ...base(),
      mode: 'wait',
      ttlMs: 5_000,
      waitMs: 120_000,
    })
    workers.push(waiter)
    await waiter.next('ready')
    const inProcess = new Redis({ host: '127.0.0.1', port: server.port })
    inProcess.on('error', () => {})
    try {
      await inProcess.ping()

      const stoppedAt = Date.now()
      await server.stop('SIGKILL')
      const error = await waiter.next('error', 30_000)
      expect(error.code).toBe('ERR_LOCK_UNAVAILABLE')
      expect(error.message).toContain(`127.0.0.1:${server.port}`)
      expect(error.message).toContain('Check that Redis is running')
      // Seconds (commandTimeoutMs is 2 s), not the 120 s wait bound.
      expect(error.t - stoppedAt).toBeLessThan(20_000)
      // Several failed refreshes later (every 500 ms) the holder is still alive.
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      expect(holder.child.exitCode, holder.describe()).toBeNull()

      await server.restart()
      // The same client reconnects by itself; the restarted Redis is empty, so the lock is free.
      const release = await redisLock(inProcess).acquire('sfauth:session', 5_000, {
        waitMs: 30_000,
      })
      await release()
      const again = new WorkerProcess(LOCK_WORKER, {
        ...base(),
        mode: 'wait',
        ttlMs: 5_000,
        waitMs: 30_000,
      })
      workers.push(again)
      await allExited([again])
      expect(again.events.map((e) => e.type)).toEqual(['ready', 'acquired', 'releasing', 'done'])
    } finally {
      inProcess.disconnect()
    }
  })
})
