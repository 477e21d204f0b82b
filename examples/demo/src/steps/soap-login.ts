import { Connection } from '@sfauth/core'
import { soapLogin } from '@sfauth/soap-login'
import { outcomeOf, queryOwnUser, type Step } from '../step.js'

/** Seed “Username and Password Login”: SOAP login, no OAuth client needed. */
export const soapLoginStep: Step = {
  id: 'soap-login',
  title: 'SOAP login',
  unavailable: (target) => (target.user ? undefined : 'set SF_USERNAME and SF_PASSWORD'),
  async run(target, state) {
    const { username, password } = target.user!
    const conn = new Connection({ loginUrl: target.loginUrl, flows: [soapLogin()] })
    const userInfo = await conn.login(username, password)
    await queryOwnUser(conn, userInfo.id)
    state.soap = conn
    return outcomeOf('@sfauth/soap-login', conn)
  },
}
