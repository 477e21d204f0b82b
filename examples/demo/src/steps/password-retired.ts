import { Connection, SfAuthError } from '@sfauth/core'
import { JWT_BEARER_GRANT_TYPE, jwtBearer } from '@sfauth/jwt'
import { OAuth2 } from '@sfauth/oauth2'
import { outcomeOf, queryOwnUser, type Step } from '../step.js'

/**
 * Salesforce in 2027: an org with the username-password release update enforced refuses the
 * password grant (the error names the flows to move to), and JWT bearer serves the same user.
 */
export const passwordRetiredStep: Step = {
  id: 'password-retired',
  title: 'password retired',
  unavailable: (target) =>
    target.retiredOrg
      ? undefined
      : 'needs the emulator, playing an org with the username-password release update enforced',
  async run(target) {
    const org = await target.retiredOrg!()
    try {
      const { username, password } = org.user
      const refused = await new Connection({
        oauth2: new OAuth2({ ...org.passwordClient, loginUrl: org.loginUrl }),
      })
        .login(username, password)
        .then(
          () => undefined,
          (err: unknown) => err,
        )
      if (
        !(refused instanceof SfAuthError) ||
        refused.errorCode !== 'invalid_grant' ||
        !refused.message.includes('@sfauth/jwt')
      ) {
        throw new Error('the password login was not refused with a hint naming @sfauth/jwt')
      }
      const conn = new Connection({ loginUrl: org.loginUrl, flows: [jwtBearer(org.jwt)] })
      const userInfo = await conn.authorize({ grant_type: JWT_BEARER_GRANT_TYPE })
      await queryOwnUser(conn, userInfo.id)
      const outcome = outcomeOf(
        '@sfauth/jwt',
        conn,
        `password login refused (${refused.errorCode} ${refused.status}, the error names @sfauth/jwt), the same user served by JWT bearer`,
      )
      await conn.logout()
      return outcome
    } finally {
      await org.close()
    }
  },
}
