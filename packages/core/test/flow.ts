import { DEFAULT_USER } from '@sfauth/emulator'
import type { FlowUnderTest } from '@sfauth/test-kit'
import { Connection } from '../src/index.js'
import { client, password, passwordFlow, username } from './helpers.js'

const wrong = 'Wrong-Password-NeverShown-42'

/**
 * Core's own test flow (the password grant, renewing by logging in again) through the contract
 * suite: what every flow relies on in Connection (single flight, the one retry, 'refresh',
 * logout, redaction, callbacks) holds in Node and in the edge runtime.
 */
export const testPasswordFlow: FlowUnderTest = {
  name: 'core with its test password flow',
  connect: (_emu, fetch) => new Connection({ fetch, oauth2: client, flows: [passwordFlow()] }),
  login: (conn) => conn.login(username, password),
  loginWithCallback: (conn, _emu, cb) => void conn.login(username, password, cb),
  refusedLogin: (conn) => conn.login(username, wrong),
  refused: { errorCode: 'invalid_grant', status: 400 },
  refusedLoginWithCallback: (conn, _emu, cb) => void conn.login(username, wrong, cb),
  secrets: [password, DEFAULT_USER.password, client.clientSecret, wrong],
  renewal: { calls: (emu) => emu.count('token', 'password'), refreshToken: 'none' },
  logoutCalls: (emu) => emu.count('revoke'),
}
