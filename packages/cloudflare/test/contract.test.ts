import { Connection } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER, type Emulator } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { session } from '@sfauth/session'
import { testFlow } from '@sfauth/test-kit'
import { afterAll, beforeAll } from 'vitest'
import { startShim } from './shim/shim.js'
import { shimLock, shimStore } from './shim/shim-client.mjs'

// The flow contract for a connection whose session lives in SfAuthSessions: the suite runs in
// Node, and every store and lock call goes through durableSession() in workerd (shim-worker.ts).
const CLIENT_SECRET = DEFAULT_APP.clientSecret as string
const REDIRECT_URI = 'http://localhost:3000/oauth2/callback'
const approve = (emu: Emulator) =>
  emu.approve({
    clientId: DEFAULT_APP.clientId,
    username: DEFAULT_USER.username,
    redirectUri: REDIRECT_URI,
    scope: 'api refresh_token',
  })
const REFUSED_CODE = 'aPrx.not-a-code-the-emulator-issued'

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
    oauth2: new OAuth2({
      clientId: DEFAULT_APP.clientId,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
    }),
    // A key of its own per connection: each test starts with nothing saved.
    flows: [
      session({
        store: shimStore(shim.url),
        lock: shimLock(shim.url),
        key: `sfauth:contract:${crypto.randomUUID()}`,
      }),
    ],
  })

testFlow({
  name: 'OAuth2 with session({ ...durableSession() }) in workerd, rotating refresh tokens',
  emulator: () => createEmulator({ apps: [{ ...DEFAULT_APP, rotateRefreshTokens: true }] }),
  connect: (_emu, fetch) => connect(fetch),
  login: (conn, emu) => conn.authorize(approve(emu)),
  loginWithCallback: (conn, emu, cb) => void conn.authorize(approve(emu), cb),
  refusedLogin: (conn) => conn.authorize(REFUSED_CODE),
  refused: { errorCode: 'invalid_grant', status: 400 },
  refusedLoginWithCallback: (conn, _emu, cb) => void conn.authorize(REFUSED_CODE, cb),
  secrets: [CLIENT_SECRET],
  renewal: { calls: (emu) => emu.count('token', 'refresh_token'), refreshToken: 'rotated' },
  logoutCalls: (emu) => emu.count('revoke'),
})
