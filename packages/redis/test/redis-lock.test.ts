import { SfAuthError } from '@sfauth/core'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { redisLock } from '../src/index.js'
import { freePort, hasRedisServer, type RedisServer, startRedis } from './redis-server.js'

describe.skipIf(!hasRedisServer)('redisLock on a real redis-server', () => {
  let server: RedisServer
  const clients: Redis[] = []
  const client = (port = server.port, extra = {}) => {
    const redis = new Redis({ host: '127.0.0.1', port, ...extra })
    redis.on('error', () => {})
    clients.push(redis)
    return redis
  }
  beforeAll(async () => {
    server = await startRedis()
  })
  afterEach(async () => {
    await client().flushall()
  })
  afterAll(async () => {
    for (const redis of clients) redis.disconnect()
    await server?.stop()
  })

  it('excludes a second acquire until the first releases, then hands over', async () => {
    const a = redisLock(client())
    const b = redisLock(client())
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

  it('rejects with ERR_LOCK_TIMEOUT after waitMs, naming the lock and the server', async () => {
    const release = await redisLock(client()).acquire('session', 5_000)
    const err = await redisLock(client())
      .acquire('session', 5_000, { waitMs: 300 })
      .catch((e) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err.errorCode).toBe('ERR_LOCK_TIMEOUT')
    expect(err.message).toContain('"session"')
    expect(err.message).toContain(`127.0.0.1:${server.port}`)
    await release()
  })

  it("honours the caller's AbortSignal with ERR_LOCK_ABORTED", async () => {
    const release = await redisLock(client()).acquire('session', 5_000)
    const err = await redisLock(client())
      .acquire('session', 5_000, { waitMs: 60_000, signal: AbortSignal.timeout(200) })
      .catch((e) => e)
    expect(err.errorCode).toBe('ERR_LOCK_ABORTED')
    await release()
  })

  it('has a release that can be called twice and never frees a later holder', async () => {
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
})
