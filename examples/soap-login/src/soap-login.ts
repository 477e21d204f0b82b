import { Connection, type UserInfo } from '@sfauth/core'
import { soapLogin } from '@sfauth/soap-login'

/** Where and as whom to log in. */
export interface SoapLoginOptions {
  /** `https://login.salesforce.com`, `https://test.salesforce.com` for a sandbox, or a My Domain. */
  loginUrl: string
  username: string
  /** The password, followed by the security token when the org asks for one. */
  password: string
}

/**
 * The seed “Username and Password Login”: SOAP login, so no OAuth client is needed. Written
 * with the seed's callback; without one, `conn.login()` returns a promise.
 */
export function loginWithSoap({
  loginUrl,
  username,
  password,
}: SoapLoginOptions): Promise<{ conn: Connection; userInfo: UserInfo }> {
  const conn = new Connection({ loginUrl, flows: [soapLogin()] })
  return new Promise((resolve, reject) => {
    conn.login(username, password, (err, userInfo) => {
      if (err) return reject(err)
      // Now you can get the access token and instance URL information.
      // Save them to establish connection next time.
      resolve({ conn, userInfo: userInfo! })
    })
  })
}
