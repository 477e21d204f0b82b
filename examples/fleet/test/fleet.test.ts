import { hasRedisServer, type RedisServer, startRedis } from '@sfauth/test-kit/redis-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runFleet } from '../src/fleet.js'

if (!hasRedisServer)
  console.warn(
    'redis-server is not installed: skipping the fleet example (apt-get install redis-server)',
  )

// Real OS processes, a real redis-server and the emulator on 127.0.0.1; wide bounds for a busy
// machine, no timing assertion.
describe.skipIf(!hasRedisServer)('examples/fleet', () => {
  let redis: RedisServer
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.stop()
  })

  it('with the lock: 8 processes × 50 requests cost 1 refresh call, 0 replays, 0 failures', async () => {
    const figures = await runFleet({
      redisUrl: redis.url,
      processes: 8,
      requests: 50,
      useLock: true,
    })
    expect(figures).toMatchObject({ tokenCalls: 1, replays: 0, failures: 0, requests: 400 })
  }, 180_000)

  it('without it the same fleet renews more than once, and with rotation on that costs requests', async () => {
    const figures = await runFleet({
      redisUrl: redis.url,
      processes: 8,
      requests: 50,
      useLock: false,
    })
    expect(figures.tokenCalls).toBeGreaterThan(1)
    expect(figures.failures).toBeGreaterThan(0)
  }, 180_000)
})
