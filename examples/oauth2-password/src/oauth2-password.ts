import { Connection, type UserInfo } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'

/** The connected app and the user. */
export interface PasswordLoginOptions {
  /** `https://login.salesforce.com`, `https://test.salesforce.com` for a sandbox, or a My Domain. */
  loginUrl: string
  clientId: string
  clientSecret?: string
  redirectUri?: string
  username: string
  /** The password followed by the security token. */
  password: string
}

/**
 * The seed “Username and Password Login (OAuth2 Resource Owner Password Credential)”: with an
 * `OAuth2` client registered, `conn.login()` uses the OAuth 2.0 username-password grant.
 */
export async function loginWithPassword(
  options: PasswordLoginOptions,
): Promise<{ conn: Connection; userInfo: UserInfo }> {
  const { loginUrl, clientId, clientSecret, redirectUri, username, password } = options
  const conn = new Connection({
    oauth2: new OAuth2({ loginUrl, clientId, clientSecret, redirectUri }),
  })
  const userInfo = await conn.login(username, password)
  // Now you can get the access token and instance URL information.
  // Save them to establish connection next time.
  return { conn, userInfo }
}
