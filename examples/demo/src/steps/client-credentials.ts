import { clientCredentials } from '@sfauth/client-credentials'
import { Connection } from '@sfauth/core'
import { outcomeOf, queryOwnUser, type Step } from '../step.js'

/** Seed “Client Credentials Flow”: a My Domain login URL, the app runs as its execution user. */
export const clientCredentialsStep: Step = {
  id: 'client-credentials',
  title: 'client credentials',
  unavailable: (target) =>
    target.clientCredentials
      ? undefined
      : 'set SF_CLIENT_ID, SF_CLIENT_SECRET and SF_MY_DOMAIN_URL',
  async run(target, state) {
    const { clientId, clientSecret, myDomainUrl } = target.clientCredentials!
    const conn = new Connection({
      instanceUrl: myDomainUrl,
      oauth2: { clientId, clientSecret, loginUrl: myDomainUrl },
      flows: [clientCredentials()],
    })
    const userInfo = await conn.authorize({ grant_type: 'client_credentials' })
    await queryOwnUser(conn, userInfo.id)
    state.clientCredentials = conn
    return outcomeOf('@sfauth/client-credentials', conn)
  },
}
