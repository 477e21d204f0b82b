import { checkDist } from '@sfauth/test-kit/dist'
import { expect, it } from 'vitest'

// ioredis is the caller's client (a peer, imported for its type only); the lock is redis-semaphore's.
checkDist({ allow: ['@sfauth/session', 'redis-semaphore'] })

it('exports the public API', async () => {
  const mod = await import('../dist/index.js')
  expect(Object.keys(mod).sort()).toEqual(['redisLock'])
})
