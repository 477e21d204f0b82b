// Fleet storm: one process of a fleet sharing one session. A Connection with OAuth2 and
// session({ store, lock? }) on the backend the parent names (fs store + fileLock, or unstorage's
// redis driver + redisLock). It prints `ready`, waits for `go` on stdin, fires `requests` requests
// at once, and prints `token-call` lines (a hash of the refresh token it presented, never the
// token) and one `done` line with each request's latency and outcome.
import { createHash } from 'node:crypto'
import { createInterface } from 'node:readline'
import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { session } from '@sfauth/session'
import { createStorage } from 'unstorage'

const env = JSON.parse(process.argv[2])
const emit = (type, fields = {}) => console.log(JSON.stringify({ type, ...fields }))
const hash = (value) => createHash('sha256').update(value).digest('hex').slice(0, 12)

let store
let lock
let close = async () => {}
if (env.backend === 'redis') {
  const { default: redisDriver } = await import('unstorage/drivers/redis')
  const { Redis } = await import('ioredis')
  const { redisLock } = await import('@sfauth/redis')
  store = createStorage({ driver: redisDriver({ url: env.redisUrl, base: 'sfauth:bench' }) })
  const redis = new Redis(env.redisUrl)
  lock = redisLock(redis)
  close = async () => redis.disconnect()
} else {
  const { default: fsDriver } = await import('unstorage/drivers/fs')
  const { fileLock } = await import('@sfauth/session/file-lock')
  store = createStorage({ driver: fsDriver({ base: env.storeDir }) })
  lock = fileLock({ dir: env.lockDir })
}

const watchingFetch = async (input, init) => {
  const params = new URLSearchParams(typeof init?.body === 'string' ? init.body : '')
  if (params.get('grant_type') === 'refresh_token') {
    emit('token-call', { rt: hash(params.get('refresh_token') ?? '') })
  }
  return fetch(input, init)
}

const conn = new Connection({
  oauth2: new OAuth2({ clientId: env.clientId, clientSecret: env.clientSecret, loginUrl: env.url }),
  loginUrl: env.url,
  fetch: watchingFetch,
  flows: [session({ store, key: env.key, ...(env.useLock ? { lock } : {}) })],
})

emit('ready')
const lines = createInterface({ input: process.stdin })
await new Promise((resolve) => lines.on('line', (line) => line === 'go' && resolve()))
lines.close()
const latencies = []
const errors = {}
let failures = 0
await Promise.all(
  Array.from({ length: env.requests }, async () => {
    const started = performance.now()
    try {
      await conn.request('limits')
    } catch (error) {
      failures += 1
      const label = error?.errorCode ?? error?.name ?? 'Error'
      errors[label] = (errors[label] ?? 0) + 1
    } finally {
      latencies.push(performance.now() - started)
    }
  }),
)
emit('done', { failures, errors, latencies })
await store.dispose()
await close()
process.exit(0)
