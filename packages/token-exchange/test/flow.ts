import { Connection } from '@sfauth/core'
import type { FlowUnderTest } from '@sfauth/test-kit'
import { TOKEN_EXCHANGE_GRANT_TYPE, tokenExchange } from '../src/index.js'
import { APP, CLIENT, ID_TOKEN, MY_DOMAIN, newEmulator, SUBJECT_TOKEN, USER } from './helpers.js'

const GRANT = { grant_type: TOKEN_EXCHANGE_GRANT_TYPE } as const
const wrong = { ...GRANT, client_id: APP.clientId, client_secret: 'WRONGSECRET-NEVER-SHOWN-0000' }

/** tokenExchange() as the flow contract suite drives it, under Node and the edge runtime. */
export const tokenExchangeFlow: FlowUnderTest = {
  name: 'tokenExchange()',
  emulator: newEmulator,
  user: USER,
  connect: (_emu, fetch) =>
    new Connection({
      fetch,
      loginUrl: MY_DOMAIN,
      oauth2: CLIENT,
      flows: [tokenExchange({ subjectToken: SUBJECT_TOKEN, subjectTokenType: ID_TOKEN })],
    }),
  login: (conn) => conn.authorize(GRANT),
  loginWithCallback: (conn, _emu, cb) => void conn.authorize(GRANT, cb),
  refusedLogin: (conn) => conn.authorize(wrong),
  refused: { errorCode: 'invalid_client', status: 400 },
  refusedLoginWithCallback: (conn, _emu, cb) => void conn.authorize(wrong, cb),
  // The subject token is a bearer credential of the other identity provider: never shown either.
  secrets: [APP.clientSecret, wrong.client_secret, SUBJECT_TOKEN],
  renewal: { calls: (emu) => emu.count('token', TOKEN_EXCHANGE_GRANT_TYPE), refreshToken: 'none' },
  logoutCalls: (emu) => emu.count('revoke'),
}
