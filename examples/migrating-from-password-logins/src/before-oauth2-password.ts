import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'

/** Before: the OAuth 2.0 username-password flow (retired for connected apps in Winter '27). */
export async function connect(env: {
  SF_LOGIN_URL: string
  SF_CLIENT_ID: string
  SF_CLIENT_SECRET: string
  SF_USERNAME: string
  SF_PASSWORD: string
  SF_SECURITY_TOKEN: string
}): Promise<Connection> {
  const conn = new Connection({
    oauth2: new OAuth2({
      loginUrl: env.SF_LOGIN_URL,
      clientId: env.SF_CLIENT_ID,
      clientSecret: env.SF_CLIENT_SECRET,
    }),
  })
  await conn.login(env.SF_USERNAME, env.SF_PASSWORD + env.SF_SECURITY_TOKEN)
  return conn
}
