import { Connection } from '@sfauth/core'
import type { FlowUnderTest } from '@sfauth/test-kit'
import { clientCredentials } from '../src/index.js'
import { APP, CLIENT, MY_DOMAIN, newEmulator, USER } from './helpers.js'

const GRANT = { grant_type: 'client_credentials' } as const
const wrong = { ...GRANT, client_id: APP.clientId, client_secret: 'WRONGSECRET-NEVER-SHOWN-0000' }

/** clientCredentials() as the flow contract suite drives it, under Node and the edge runtime. */
export const clientCredentialsFlow: FlowUnderTest = {
  name: 'clientCredentials()',
  emulator: newEmulator,
  user: USER,
  connect: (_emu, fetch) =>
    new Connection({
      fetch,
      instanceUrl: MY_DOMAIN,
      oauth2: { ...CLIENT, loginUrl: MY_DOMAIN },
      flows: [clientCredentials()],
    }),
  login: (conn) => conn.authorize(GRANT),
  loginWithCallback: (conn, _emu, cb) => void conn.authorize(GRANT, cb),
  refusedLogin: (conn) => conn.authorize(wrong),
  refused: { errorCode: 'invalid_client', status: 400 },
  refusedLoginWithCallback: (conn, _emu, cb) => void conn.authorize(wrong, cb),
  secrets: [APP.clientSecret, wrong.client_secret],
  renewal: { calls: (emu) => emu.count('token', 'client_credentials'), refreshToken: 'none' },
  logoutCalls: (emu) => emu.count('revoke'),
}
