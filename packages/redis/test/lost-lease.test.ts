import { testRenewalOnLostLease } from '@sfauth/test-kit/lost-lease'
import { hasRedisServer, type RedisServer, startRedis } from '@sfauth/test-kit/redis-server'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { redisLock } from '../src/index.js'

// The lease lost the way the attack found it: redis-server restarted without persistence
// (the test server has none) while a process held the renewal lock.
describe.skipIf(!hasRedisServer)(
  'redisLock: Redis restarted while a renewal holds the lock',
  () => {
    let server: RedisServer
    const clients: Redis[] = []
    beforeAll(async () => {
      server = await startRedis()
    })
    afterAll(async () => {
      for (const redis of clients) redis.disconnect()
      await server?.stop('SIGKILL')
    })

    testRenewalOnLostLease({
      name: 'redisLock',
      make: () => {
        const redis = new Redis({ host: '127.0.0.1', port: server.port })
        redis.on('error', () => {})
        clients.push(redis)
        return redisLock(redis)
      },
      forgetLocks: async () => {
        await server.stop('SIGKILL')
        await server.restart()
        await expect
          .poll(() => clients.every((c) => c.status === 'ready'), { timeout: 20_000 })
          .toBe(true)
      },
    })
  },
)
