import { Connection } from '@sfauth/core'
import type { FlowUnderTest } from '@sfauth/test-kit'
import { JWT_BEARER_GRANT_TYPE, jwtBearer } from '../src/index.js'
import { CLIENT_ID, emulatorFor, generateKeys, USERNAME } from './helpers.js'

const keys = await generateKeys()
const GRANT = { grant_type: JWT_BEARER_GRANT_TYPE }
/** An assertion Salesforce refuses (invalid_grant), through the same connection. */
const REFUSED = { grant_type: JWT_BEARER_GRANT_TYPE, assertion: 'not.a.jwt' }

/**
 * jwtBearer() as the flow contract suite drives it, signing with a PKCS#1 key (the conversion
 * and the signing must work on Web Crypto alone in the edge runtime).
 */
export const jwtBearerFlow: FlowUnderTest = {
  name: 'jwtBearer()',
  emulator: () => emulatorFor({ publicKey: keys.spki }),
  connect: (_emu, fetch) =>
    new Connection({
      fetch,
      flows: [jwtBearer({ clientId: CLIENT_ID, username: USERNAME, privateKey: keys.pkcs1 })],
    }),
  login: (conn) => conn.authorize(GRANT),
  loginWithCallback: (conn, _emu, cb) => void conn.authorize(GRANT, cb),
  refusedLogin: (conn) => conn.authorize(REFUSED),
  refused: { errorCode: 'invalid_grant', status: 400 },
  refusedLoginWithCallback: (conn, _emu, cb) => void conn.authorize(REFUSED, cb),
  secrets: [keys.pkcs1, keys.pkcs8, keys.pkcs1.split('\n')[1] as string],
  renewal: { calls: (emu) => emu.count('token', JWT_BEARER_GRANT_TYPE), refreshToken: 'none' },
  logoutCalls: (emu) => emu.count('revoke'),
}
