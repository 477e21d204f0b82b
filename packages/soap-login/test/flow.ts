import { Connection } from '@sfauth/core'
import { DEFAULT_USER } from '@sfauth/emulator'
import type { FlowUnderTest } from '@sfauth/test-kit'
import { soapLogin } from '../src/index.js'

const username = DEFAULT_USER.username
/** SOAP login wants the security token appended to the password. */
const password = `${DEFAULT_USER.password}${DEFAULT_USER.securityToken}`
const wrong = 'Wrong-Password-NeverShown-42'

/** soapLogin() as the flow contract suite drives it, under Node and under the edge runtime. */
export const soapLoginFlow: FlowUnderTest = {
  name: 'soapLogin()',
  connect: (_emu, fetch) => new Connection({ fetch, flows: [soapLogin()] }),
  login: (conn) => conn.login(username, password),
  loginWithCallback: (conn, _emu, cb) => void conn.login(username, password, cb),
  refusedLogin: (conn) => conn.login(username, wrong),
  refused: { errorCode: 'INVALID_LOGIN', status: 500 },
  refusedLoginWithCallback: (conn, _emu, cb) => void conn.login(username, wrong, cb),
  secrets: [password, wrong],
  renewal: {
    calls: (emu) => emu.count('soap-login'),
    refreshToken: 'none',
    tokenField: 'sessionId',
  },
  logoutCalls: (emu) => emu.count('soap-logout'),
}
