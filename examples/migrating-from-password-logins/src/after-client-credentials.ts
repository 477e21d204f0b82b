import { clientCredentials } from '@sfauth/client-credentials'
import { Connection } from '@sfauth/core'

/** After: the client credentials flow, as the app's run-as user, on the org's My Domain. */
export async function connect(env: {
  SF_MY_DOMAIN_URL: string
  SF_CLIENT_ID: string
  SF_CLIENT_SECRET: string
}): Promise<Connection> {
  const conn = new Connection({
    instanceUrl: env.SF_MY_DOMAIN_URL,
    oauth2: {
      clientId: env.SF_CLIENT_ID,
      clientSecret: env.SF_CLIENT_SECRET,
      loginUrl: env.SF_MY_DOMAIN_URL,
    },
    flows: [clientCredentials()],
  })
  await conn.authorize({ grant_type: 'client_credentials' })
  return conn
}
