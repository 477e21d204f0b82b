import { fileURLToPath } from 'node:url'
import { SfAuthError } from '@sfauth/core'
import { allExited, killAll, LOCK_WORKER, WorkerProcess } from '@sfauth/test-kit/fleet'
import { testLock } from '@sfauth/test-kit/lock'
import {
  freePort,
  hasRedisServer,
  type RedisServer,
  startRedis,
} from '@sfauth/test-kit/redis-server'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { redisLock } from '../src/index.js'

if (!hasRedisServer) {
  console.warn(
    'redis-server is not installed: skipping the Redis tests (apt-get install redis-server)',
  )
}

// Each process of the contract's multi-process half runs the built @sfauth/redis (`pnpm test`
// builds first) through this factory.
const factory = fileURLToPath(new URL('./fleet/redis-lock-factory.mjs', import.meta.url))

describe.skipIf(!hasRedisServer)('redisLock on a real redis-server', () => {
  let server: RedisServer
  const clients: Redis[] = []
  const client = (port = server.port, extra = {}) => {
    const redis = new Redis({ host: '127.0.0.1', port, ...extra })
    redis.on('error', () => {})
    clients.push(redis)
    return redis
  }
  const workers: WorkerProcess[] = []
  beforeAll(async () => {
    server = await startRedis()
  })
  afterEach(async () => {
    killAll(workers.splice(0))
    await client().flushall()
  })
  afterAll(async () => {
    for (const redis of clients) redis.disconnect()
    await server?.stop('SIGKILL')
  })

  // The lock contract (exclusion, bounded wait, abort, idempotent release; 8 real processes,
  // kill -9 of the holder), each lock on a client of its own as in separate processes.
  testLock({
    name: 'redisLock',
    make: () => redisLock(client()),
    timeoutMentions: () => ['"session"', `127.0.0.1:${server.port}`],
    worker: { factory, config: () => ({ port: server.port }) },
    // A restart without persistence (the test server has none): every key is gone.
    forgetLocks: async () => {
      await server.stop('SIGKILL')
      await server.restart()
      await expect
        .poll(() => clients.every((c) => c.status === 'ready' || c.status === 'end'), {
          timeout: 20_000,
        })
        .toBe(true)
    },
  })

  it('holds the key under the prefix with a lease of ttlMs, and deletes it on release', async () => {
    const redis = client()
    const release = await redisLock(redis, { prefix: 'app:' }).acquire('session', 5_000)
    const pttl = await redis.pttl('mutex:app:session')
    expect(pttl).toBeGreaterThan(0)
    expect(pttl).toBeLessThanOrEqual(5_000)
    await release()
    expect(await redis.exists('mutex:app:session')).toBe(0)
  })

  it('keeps a live holder past its lease by refreshing it', async () => {
    const release = await redisLock(client()).acquire('session', 600)
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    const err = await redisLock(client())
      .acquire('session', 600, { waitMs: 200 })
      .catch((e) => e)
    expect(err.errorCode).toBe('ERR_LOCK_TIMEOUT')
    await release()
  })

  it("leaves the later holder's key in Redis when an earlier release() is called again", async () => {
    const redis = client()
    const lock = redisLock(redis)
    const release = await lock.acquire('session', 5_000)
    await release()
    const next = await lock.acquire('session', 5_000, { waitMs: 1_000 })
    await release()
    expect(await redis.exists('mutex:sfauth:lock:session')).toBe(1)
    await next()
    expect(await redis.exists('mutex:sfauth:lock:session')).toBe(0)
  })

  it('rejects at once with ERR_LOCK_UNAVAILABLE on a client that was closed', async () => {
    const redis = client()
    await redis.quit()
    const err = await redisLock(redis)
      .acquire('session', 5_000)
      .catch((e) => e)
    expect(err.errorCode).toBe('ERR_LOCK_UNAVAILABLE')
    expect(err.message).toContain('closed')
  })

  it('rejects with ERR_LOCK_UNAVAILABLE, saying what to check, when no Redis listens', async () => {
    // A port nothing listens on: ioredis reconnects forever, the lock gives up after commandTimeoutMs.
    const started = Date.now()
    const err = await redisLock(client(await freePort()), { commandTimeoutMs: 500 })
      .acquire('session', 5_000, { waitMs: 60_000 })
      .catch((e) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err.errorCode).toBe('ERR_LOCK_UNAVAILABLE')
    expect(err.message).toContain('Check that Redis is running')
    expect(Date.now() - started).toBeLessThan(30_000)
  })

  it('Redis stopped mid-wait: a clear error within seconds, the holder does not crash; Redis back: locking works again', async () => {
    // The holder's client gives up on a command quickly, so its lease refresh fails while
    // Redis is down: that must not crash it (a rejected refresh in a timer would).
    const holder = new WorkerProcess(LOCK_WORKER, {
      factory,
      port: server.port,
      name: 'sfauth:session',
      mode: 'hold',
      ttlMs: 1_500,
      waitMs: 30_000,
      maxRetriesPerRequest: 0,
    })
    workers.push(holder)
    await holder.next('acquired')
    // The waiter's client has ioredis's defaults (reconnect forever, queue commands meanwhile).
    const waiter = new WorkerProcess(LOCK_WORKER, {
      factory,
      port: server.port,
      name: 'sfauth:session',
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
        factory,
        port: server.port,
        name: 'sfauth:session',
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
