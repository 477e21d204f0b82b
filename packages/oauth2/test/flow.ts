import { Connection } from '@sfauth/core'
import { DEFAULT_APP, DEFAULT_USER, type Emulator } from '@sfauth/emulator'
import type { FlowUnderTest } from '@sfauth/test-kit'
import { OAuth2 } from '../src/index.js'

// Not from helpers.ts: that one pulls node:crypto, which has no place in the edge run.
const CLIENT_SECRET = DEFAULT_APP.clientSecret as string
const REDIRECT_URI = 'http://localhost:3000/oauth2/callback'

/** What the consent page's Allow button hands the callback. */
const approve = (emu: Emulator) =>
  emu.approve({
    clientId: DEFAULT_APP.clientId,
    username: DEFAULT_USER.username,
    redirectUri: REDIRECT_URI,
    scope: 'api refresh_token',
  })
const REFUSED_CODE = 'aPrx.not-a-code-the-emulator-issued'

/** The web server flow (`new Connection({ oauth2 })` + `authorize(code)`) as the contract suite drives it. */
export const webServerFlow: FlowUnderTest = {
  name: 'OAuth2 web server flow with a rotating refresh token',
  connect: (_emu, fetch) =>
    new Connection({
      fetch,
      oauth2: new OAuth2({
        clientId: DEFAULT_APP.clientId,
        clientSecret: CLIENT_SECRET,
        redirectUri: REDIRECT_URI,
      }),
    }),
  login: (conn, emu) => conn.authorize(approve(emu)),
  loginWithCallback: (conn, emu, cb) => void conn.authorize(approve(emu), cb),
  refusedLogin: (conn) => conn.authorize(REFUSED_CODE),
  refused: { errorCode: 'invalid_grant', status: 400 },
  refusedLoginWithCallback: (conn, _emu, cb) => void conn.authorize(REFUSED_CODE, cb),
  secrets: [CLIENT_SECRET],
  renewal: { calls: (emu) => emu.count('token', 'refresh_token'), refreshToken: 'rotated' },
  logoutCalls: (emu) => emu.count('revoke'),
}
