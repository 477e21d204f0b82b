import type { Connection } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER, type Emulator } from '@sfauth/emulator'
import type { FlowUnderTest } from './contract.js'

/** The connected app of a web server flow under the contract: the emulator's default app. */
export const WEB_SERVER_APP = {
  clientId: DEFAULT_APP.clientId,
  clientSecret: DEFAULT_APP.clientSecret as string,
  redirectUri: 'http://localhost:3000/oauth2/callback',
}

/** What the consent page's Allow button hands the callback. */
const approve = (emu: Emulator) =>
  emu.approve({
    clientId: WEB_SERVER_APP.clientId,
    username: DEFAULT_USER.username,
    redirectUri: WEB_SERVER_APP.redirectUri,
    scope: 'api refresh_token',
  })
const REFUSED_CODE = 'aPrx.not-a-code-the-emulator-issued'

/**
 * The OAuth2 web server flow (`authorize(code)`) as the contract suite drives it, on an app with
 * refresh-token rotation on (off by default, as on Salesforce). `connect` makes a connection for
 * {@link WEB_SERVER_APP} with whatever the package under test brings: its OAuth2 build, a session
 * store.
 */
export function webServerContract(
  name: string,
  connect: (fetch: typeof globalThis.fetch) => Connection,
): FlowUnderTest {
  return {
    name,
    emulator: () => createEmulator({ apps: [{ ...DEFAULT_APP, rotateRefreshTokens: true }] }),
    connect: (_emu, fetch) => connect(fetch),
    login: (conn, emu) => conn.authorize(approve(emu)),
    loginWithCallback: (conn, emu, cb) => void conn.authorize(approve(emu), cb),
    refusedLogin: (conn) => conn.authorize(REFUSED_CODE),
    refused: { errorCode: 'invalid_grant', status: 400 },
    refusedLoginWithCallback: (conn, _emu, cb) => void conn.authorize(REFUSED_CODE, cb),
    secrets: [WEB_SERVER_APP.clientSecret],
    renewal: { calls: (emu) => emu.count('token', 'refresh_token'), refreshToken: 'rotated' },
    logoutCalls: (emu) => emu.count('revoke'),
  }
}
