// One process of a fleet sharing one Salesforce session: a Connection with OAuth2 and
// session({ store, lock }) on the built packages, against the emulator the parent serves on
// 127.0.0.1. Plain JavaScript (run by `node`, no loader). argv[2] is a JSON config:
//   factory       absolute path of a module exporting createStore(config) → { store, close() }
//                 and createLock(config) → { lock, close() } (file-lock-factory.mjs, redis's)
//   loginUrl      the emulator's URL; clientId, clientSecret of its connected app
//   key           the session's key in the store (and the lock's name)
//   useLock       false: session({ store }) only, the "before" of the figures
//   lockTtlMs, lockWaitMs
//   requests      concurrent conn.request('limits') per round
//   stallInLock   hold the lock once taken and never renew (the parent kills -9 this process)
// On each 'go' line on stdin it runs one round; on 'exit' it closes and exits. It prints JSON
// lines: ready; lock-acquired; token-call { rt, ok, error, start, end } for every refresh_token
// request it sent (rt is a hash, never the token); round { round, ok, failures, codes,
// latencies, refreshEvents, tokenHash, lastRefreshHash }.
import { createHash } from 'node:crypto'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { session } from '@sfauth/session'

const config = JSON.parse(process.argv[2])
const emit = (type, fields = {}) =>
  process.stdout.write(`${JSON.stringify({ type, pid: process.pid, t: Date.now(), ...fields })}\n`)
const hash = (value) =>
  value ? createHash('sha256').update(value).digest('hex').slice(0, 12) : undefined

const factory = await import(pathToFileURL(config.factory).href)
const { store, close: closeStore } = await factory.createStore(config)
const locking = config.useLock === false ? undefined : await factory.createLock(config)

// The lock as the session flow sees it, reporting when it is held (and stalling when told to).
const lock = locking && {
  async acquire(name, ttlMs, options) {
    const release = await locking.lock.acquire(name, ttlMs, options)
    emit('lock-acquired')
    if (config.stallInLock) await new Promise(() => {})
    return release
  },
}

// Every refresh_token request this process sends, so the parent can count replays: a refresh
// token sent again after a refresh with it succeeded (rotation had already replaced it).
const recordingFetch = async (input, init) => {
  const body = typeof init?.body === 'string' ? init.body : ''
  const params = new URLSearchParams(body)
  if (params.get('grant_type') !== 'refresh_token') return fetch(input, init)
  const rt = hash(params.get('refresh_token'))
  const start = Date.now()
  try {
    const res = await fetch(input, init)
    const answer = await res
      .clone()
      .json()
      .catch(() => ({}))
    emit('token-call', {
      rt,
      ok: res.ok,
      error: res.ok ? undefined : `${answer.error}: ${answer.error_description}`,
      start,
      end: Date.now(),
    })
    return res
  } catch (err) {
    emit('token-call', { rt, ok: false, error: String(err), start, end: Date.now() })
    throw err
  }
}

const oauth2 = new OAuth2({
  clientId: config.clientId,
  clientSecret: config.clientSecret,
  loginUrl: config.loginUrl,
})
const conn = new Connection({
  oauth2,
  loginUrl: config.loginUrl,
  fetch: recordingFetch,
  flows: [
    session({
      store,
      key: config.key,
      ...(lock
        ? {
            lock,
            ...(config.lockTtlMs ? { lockTtlMs: config.lockTtlMs } : {}),
            ...(config.lockWaitMs ? { lockWaitMs: config.lockWaitMs } : {}),
          }
        : {}),
    }),
  ],
})
let refreshEvents = 0
let lastRefresh
conn.on('refresh', (accessToken) => {
  refreshEvents++
  lastRefresh = accessToken
})

async function round(n) {
  const latencies = []
  const results = await Promise.allSettled(
    Array.from({ length: config.requests }, async () => {
      const start = performance.now()
      try {
        return await conn.request('limits')
      } finally {
        latencies.push(performance.now() - start)
      }
    }),
  )
  const failed = results.filter((r) => r.status === 'rejected').map((r) => r.reason)
  emit('round', {
    round: n,
    ok: results.length - failed.length,
    failures: failed.length,
    codes: [...new Set(failed.map((e) => e?.errorCode ?? e?.name))],
    messages: [...new Set(failed.map((e) => String(e?.message)))].slice(0, 3),
    latencies,
    refreshEvents,
    tokenHash: hash(conn.accessToken),
    lastRefreshHash: hash(lastRefresh),
  })
}

emit('ready')
let rounds = 0
const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  if (line === 'go') await round(++rounds)
  if (line === 'exit') break
}
lines.close()
await closeStore?.()
await locking?.close?.()
process.exit(0)
