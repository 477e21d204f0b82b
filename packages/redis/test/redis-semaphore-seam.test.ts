import { hasRedisServer, type RedisServer, startRedis } from '@sfauth/test-kit/redis-server'
import { Redis } from 'ioredis'
import { Mutex } from 'redis-semaphore'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

// The seam between redisLock and redis-semaphore, pinned: every behaviour of redis-semaphore's
// public Mutex options that redisLock relies on, each checked against a real redis-server, so
// an upgrade that changes one fails here, by name, not in a user's fleet. redisLock does its
// own waiting (one SET per attempt) and its own refresh timer (which tells the holder when the
// lease is lost), so it uses: acquireAttemptsLimit 1, refreshInterval 0, the `mutex:` key
// prefix, `identifier`, and `acquiredExternally` + `identifier` as the refresh.
describe.skipIf(!hasRedisServer)('redis-semaphore: what redisLock relies on', () => {
  let server: RedisServer
  let redis: Redis
  beforeAll(async () => {
    server = await startRedis()
    redis = new Redis({ host: '127.0.0.1', port: server.port })
  })
  afterEach(async () => {
    await redis.flushall()
  })
  afterAll(async () => {
    redis?.disconnect()
    await server?.stop('SIGKILL')
  })

  const mutex = (key: string, options: ConstructorParameters<typeof Mutex>[2] = {}) =>
    new Mutex(redis, key, {
      lockTimeout: 5_000,
      acquireAttemptsLimit: 1,
      refreshInterval: 0,
      ...options,
    })

  it('tryAcquire() with acquireAttemptsLimit 1 sets mutex:<key> to the identifier with a PX lease, and gives up after one SET when it is taken', async () => {
    const first = mutex('k')
    expect(await first.tryAcquire()).toBe(true)
    expect(await redis.get('mutex:k')).toBe(first.identifier)
    const pttl = await redis.pttl('mutex:k')
    expect(pttl).toBeGreaterThan(0)
    expect(pttl).toBeLessThanOrEqual(5_000)
    const calls: string[] = []
    const monitor = await redis.monitor()
    monitor.on('monitor', (_time: string, args: string[]) =>
      calls.push(String(args[0]).toLowerCase()),
    )
    try {
      expect(await mutex('k').tryAcquire()).toBe(false)
    } finally {
      monitor.disconnect()
    }
    expect(calls.filter((c) => c === 'set')).toEqual(['set'])
  })

  it('refreshInterval 0 refreshes nothing by itself: the key expires after the lease', async () => {
    const held = mutex('k', { lockTimeout: 300 })
    expect(await held.tryAcquire()).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 800))
    expect(await redis.exists('mutex:k')).toBe(0)
    expect(held.isAcquired).toBe(true) // nobody told it: redisLock's own refresh does
  })

  it("acquiredExternally + identifier: tryAcquire() extends a key that holds the identifier, and is false (setting nothing) for a key gone or another holder's", async () => {
    const held = mutex('k', { lockTimeout: 1_000 })
    await held.tryAcquire()
    const refresh = () =>
      new Mutex(redis, 'k', {
        identifier: held.identifier,
        acquiredExternally: true,
        lockTimeout: 5_000,
        refreshInterval: 0,
      }).tryAcquire()
    expect(await refresh()).toBe(true)
    expect(await redis.pttl('mutex:k')).toBeGreaterThan(1_000)

    await redis.del('mutex:k')
    expect(await refresh()).toBe(false)
    expect(await redis.exists('mutex:k')).toBe(0)

    await redis.set('mutex:k', 'another-holder')
    expect(await refresh()).toBe(false)
    expect(await redis.get('mutex:k')).toBe('another-holder')
  })

  it('release() deletes the key only while it holds the identifier', async () => {
    const held = mutex('k')
    await held.tryAcquire()
    await redis.set('mutex:k', 'next-holder')
    await held.release()
    expect(await redis.get('mutex:k')).toBe('next-holder')
    const mine = mutex('j')
    await mine.tryAcquire()
    await mine.release()
    expect(await redis.exists('mutex:j')).toBe(0)
  })
})
