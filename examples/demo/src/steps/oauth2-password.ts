import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { outcomeOf, queryOwnUser, type Step } from '../step.js'

/** Seed “Username and Password Login (OAuth2 Resource Owner Password Credential)”. */
export const oauth2PasswordStep: Step = {
  id: 'oauth2-password',
  title: 'OAuth2 password',
  unavailable: (target) =>
    target.user && target.passwordClient
      ? undefined
      : 'set SF_USERNAME, SF_PASSWORD, SF_CLIENT_ID and SF_CLIENT_SECRET',
  async run(target, state) {
    const { username, password } = target.user!
    const oauth2 = new OAuth2({ ...target.passwordClient!, loginUrl: target.loginUrl })
    const conn = new Connection({ oauth2 })
    const userInfo = await conn.login(username, password)
    await queryOwnUser(conn, userInfo.id)
    state.password = conn
    return outcomeOf('@sfauth/oauth2', conn)
  },
}
