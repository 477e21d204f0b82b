import { Connection } from '@sfauth/core'
import { JWT_BEARER_GRANT_TYPE, jwtBearer } from '@sfauth/jwt'

/** After: the JWT bearer flow, as the same user, with a certificate instead of a password. */
export async function connect(env: {
  SF_LOGIN_URL: string
  SF_CLIENT_ID: string
  SF_USERNAME: string
  SF_PRIVATE_KEY: string
}): Promise<Connection> {
  const conn = new Connection({
    loginUrl: env.SF_LOGIN_URL,
    flows: [
      jwtBearer({
        clientId: env.SF_CLIENT_ID,
        username: env.SF_USERNAME,
        privateKey: env.SF_PRIVATE_KEY, // PKCS#8 PEM; its certificate is on the app
      }),
    ],
  })
  await conn.authorize({ grant_type: JWT_BEARER_GRANT_TYPE })
  return conn
}
