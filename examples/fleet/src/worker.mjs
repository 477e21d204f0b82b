// One process of the fleet: a Connection with OAuth2 and session({ store, lock? }) on one Redis,
// against the emulator the parent serves on 127.0.0.1. Plain JavaScript on the built packages.
// argv[2] is a JSON config { loginUrl, clientId, clientSecret, redisUrl, key, requests, useLock }.
// It prints `ready`, waits for `go` on stdin, sends `requests` requests at once and prints
// `token-call` lines (a hash of the refresh token it sent, never the token, and the answer) and
// one `done` line { ok, failures, codes, latencies }.
import { createHash } from 'node:crypto'
import { createInterface } from 'node:readline'
import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { redisLock } from '@sfauth/redis'
import { session } from '@sfauth/session'
import { Redis } from 'ioredis'
import { createStorage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'

const config = JSON.parse(process.argv[2])
const emit = (type, fields = {}) => console.log(JSON.stringify({ type, ...fields }))
const hash = (value) => createHash('sha256').update(value).digest('hex').slice(0, 12)

const store = createStorage({
  driver: redisDriver({ url: config.redisUrl, base: 'sfauth:example' }),
})
const redis = new Redis(config.redisUrl)
const lock = redisLock(redis)

// Watches the refresh_token requests this process sends, to count replays afterwards.
const watchingFetch = async (input, init) => {
  const params = new URLSearchParams(typeof init?.body === 'string' ? init.body : '')
  if (params.get('grant_type') !== 'refresh_token') return fetch(input, init)
  const rt = hash(params.get('refresh_token') ?? '')
  const res = await fetch(input, init)
  const body = res.ok
    ? {}
    : await res
        .clone()
        .json()
        .catch(() => ({}))
  emit('token-call', { rt, ok: res.ok, error: body.error_description })
  return res
}

const conn = new Connection({
  oauth2: new OAuth2({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    loginUrl: config.loginUrl,
  }),
  loginUrl: config.loginUrl,
  fetch: watchingFetch,
  flows: [session({ store, key: config.key, ...(config.useLock ? { lock } : {}) })],
})

emit('ready')
const lines = createInterface({ input: process.stdin })
await new Promise((resolve) => lines.on('line', (line) => line === 'go' && resolve()))
lines.close()
const latencies = []
const results = await Promise.allSettled(
  Array.from({ length: config.requests }, async () => {
    const started = performance.now()
    try {
      return await conn.request('limits')
    } finally {
      latencies.push(performance.now() - started)
    }
  }),
)
const failed = results.filter((r) => r.status === 'rejected').map((r) => r.reason)
emit('done', {
  ok: results.length - failed.length,
  failures: failed.length,
  codes: [...new Set(failed.map((e) => e?.errorCode ?? String(e)))],
  latencies,
})
await store.dispose()
redis.disconnect()
