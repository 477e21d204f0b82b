// One process of the demo's fleet step: a Connection with OAuth2 and session({ store, lock })
// on a store and lock directory the other processes share. Plain JavaScript on the built
// packages (run by `node`). argv[2] is a JSON config { loginUrl, clientId, clientSecret,
// storeDir, lockDir, requests, session: { accessToken, instanceUrl, refreshToken } }. It prints
// `ready`, waits for `go` on stdin, sends `requests` requests at once, prints one JSON line
// { ok, failures, codes, refreshEvents } and exits.
import { createInterface } from 'node:readline'
import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { session } from '@sfauth/session'
import { fileLock } from '@sfauth/session/file-lock'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'

const config = JSON.parse(process.argv[2])
const store = createStorage({ driver: fsDriver({ base: config.storeDir }) })
const conn = new Connection({
  oauth2: new OAuth2({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    loginUrl: config.loginUrl,
  }),
  loginUrl: config.loginUrl,
  ...config.session,
  flows: [session({ store, lock: fileLock({ dir: config.lockDir }), lockTtlMs: 10_000 })],
})
let refreshEvents = 0
conn.on('refresh', () => {
  refreshEvents += 1
})

console.log(JSON.stringify({ type: 'ready' }))
const lines = createInterface({ input: process.stdin })
await new Promise((resolve) => lines.on('line', (line) => line === 'go' && resolve()))
lines.close()
const results = await Promise.allSettled(
  Array.from({ length: config.requests }, () => conn.request('limits')),
)
const failed = results.filter((r) => r.status === 'rejected').map((r) => r.reason)
console.log(
  JSON.stringify({
    type: 'done',
    ok: results.length - failed.length,
    failures: failed.length,
    codes: [...new Set(failed.map((e) => e?.errorCode ?? String(e)))],
    refreshEvents,
  }),
)
await store.dispose()
