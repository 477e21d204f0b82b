import { Connection } from '@sfauth/core'
import { soapLogin } from '@sfauth/soap-login'

/** Before: SOAP login() with a username and password (retired in Summer '27). */
export async function connect(env: {
  SF_LOGIN_URL: string
  SF_USERNAME: string
  SF_PASSWORD: string
  SF_SECURITY_TOKEN: string
}): Promise<Connection> {
  const conn = new Connection({ loginUrl: env.SF_LOGIN_URL, flows: [soapLogin()] })
  await conn.login(env.SF_USERNAME, env.SF_PASSWORD + env.SF_SECURITY_TOKEN)
  return conn
}
