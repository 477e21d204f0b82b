import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { session } from '@sfauth/session'
import { testFlow, WEB_SERVER_APP, webServerContract } from '@sfauth/test-kit'
import { afterAll, beforeAll } from 'vitest'
import { startShim } from './shim/shim.js'
import { shimLock, shimStore } from './shim/shim-client.mjs'

// The flow contract for a connection whose session lives in SfAuthSessions: the suite runs in
// Node, and every store and lock call goes through durableSession() in workerd (shim-worker.ts).
let shim: Awaited<ReturnType<typeof startShim>>
beforeAll(async () => {
  shim = await startShim()
})
afterAll(async () => {
  await shim?.dispose()
})

const connect = (fetch: typeof globalThis.fetch) =>
  new Connection({
    fetch,
    oauth2: new OAuth2(WEB_SERVER_APP),
    // A key of its own per connection: each test starts with nothing saved.
    flows: [
      session({
        store: shimStore(shim.url),
        lock: shimLock(shim.url),
        key: `sfauth:contract:${crypto.randomUUID()}`,
      }),
    ],
  })

testFlow(
  webServerContract(
    'OAuth2 with session({ ...durableSession() }) in workerd, rotating refresh tokens',
    connect,
  ),
)
