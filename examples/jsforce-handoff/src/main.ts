// Runs the handoff against the local emulator: log in with @sfauth, query with jsforce through
// three expiries with refresh token rotation on, then the same with ofetch.
import { Connection } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { Connection as JsforceConnection } from 'jsforce'
import { jsforceOptions } from './handoff.js'
import { salesforceFetch } from './with-ofetch.js'

const redirectUri = 'http://localhost:3000/oauth2/callback'
const emu = createEmulator({
  apps: [{ ...DEFAULT_APP, redirectUris: [redirectUri], rotateRefreshTokens: true }],
})
const server = await emu.listen()
try {
  const oauth2 = new OAuth2({
    loginUrl: server.url,
    clientId: DEFAULT_APP.clientId,
    clientSecret: DEFAULT_APP.clientSecret,
    redirectUri,
  })
  const conn = new Connection({ oauth2 })
  const code = emu.approve({
    clientId: DEFAULT_APP.clientId,
    username: DEFAULT_USER.username,
    redirectUri,
  })
  await conn.authorize(code)
  conn.on('refresh', () =>
    console.log('   @sfauth renewed the session (rotated refresh token kept)'),
  )

  const jsf = new JsforceConnection(jsforceOptions(conn))
  for (let expiry = 1; expiry <= 3; expiry++) {
    emu.expireSessions()
    const { records } = await jsf.query<{ Username: string }>('SELECT Id, Username FROM User')
    console.log(`expiry ${expiry}: jsforce queried as ${records[0]?.Username}`)
  }
  emu.expireSessions()
  const api = salesforceFetch(conn)
  const { totalSize } = await api<{ totalSize: number }>('query', {
    query: { q: 'SELECT Id FROM User' },
  })
  console.log(`ofetch through conn.fetch: ${totalSize} record(s)`)
} finally {
  await server.close()
}
