// createLock for the test kit's lock-worker.mjs: the built @sfauth/redis (a self-reference)
// on its own ioredis client.
import { redisLock } from '@sfauth/redis'
import { Redis } from 'ioredis'

export function createLock(config) {
  const redis = new Redis({
    host: '127.0.0.1',
    port: config.port,
    // ioredis's default (20) unless a test asks for a client that gives up sooner.
    ...(config.maxRetriesPerRequest === undefined
      ? {}
      : { maxRetriesPerRequest: config.maxRetriesPerRequest }),
  })
  // A worker reports errors through acquire(); ioredis's own connection errors are not news.
  redis.on('error', () => {})
  return {
    lock: redisLock(redis, { commandTimeoutMs: config.commandTimeoutMs }),
    close: async () => {
      redis.disconnect()
    },
  }
}

// createStore for the test kit's session-worker.mjs: unstorage's redis driver on the same
// server. A command that gets no answer within 2 s fails (commandTimeout) rather than queueing
// while Redis is down.
export async function createStore(config) {
  const { createStorage } = await import('unstorage')
  const { default: redisDriver } = await import('unstorage/drivers/redis')
  const store = createStorage({
    driver: redisDriver({
      host: '127.0.0.1',
      port: config.port,
      base: 'sfauth',
      commandTimeout: 2_000,
      maxRetriesPerRequest: 1,
    }),
  })
  return { store, close: () => store.dispose() }
}
