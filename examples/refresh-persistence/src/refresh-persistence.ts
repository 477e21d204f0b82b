import { Connection, type TokenResponse } from '@sfauth/core'
import { OAuth2, type OAuth2Options } from '@sfauth/oauth2'
import { type SessionStore, session } from '@sfauth/session'

/** Tokens saved from an OAuth authorization (the web server flow issues refresh tokens). */
export interface SavedTokens {
  instanceUrl: string
  /** May be missing or expired: the connection renews it with the refresh token. */
  accessToken?: string
  refreshToken: string
}

/**
 * The seed “Access Token with Refresh Token”: the connection renews an expired access token by
 * itself and fires `'refresh'`. With `session({ store })` every renewed session is saved too,
 * rotated refresh token included, and a later connection given only the store picks it up.
 *
 * @param tokens the saved tokens, or `undefined` to restore the session from `store`.
 */
export function connect(
  client: OAuth2Options,
  tokens: SavedTokens | undefined,
  store: SessionStore,
  onRefresh: (accessToken: string, res: Partial<TokenResponse>) => void,
): Connection {
  const conn = new Connection({
    oauth2: new OAuth2(client),
    ...tokens,
    flows: [session({ store })],
  })
  conn.on('refresh', (accessToken, res) => {
    // Fired when the access token was renewed; session({ store }) has already saved the new
    // session, so this is only for telling someone.
    onRefresh(accessToken, res)
  })
  return conn
}

/** The seed's alternative: refresh by hand, callback style. Save the rotated refresh token yourself. */
export function refreshWithCallback(oauth2: OAuth2, refreshToken: string): Promise<TokenResponse> {
  return new Promise((resolve, reject) => {
    oauth2.refreshToken(refreshToken, (err, results) => {
      if (err) return reject(err)
      resolve(results!)
    })
  })
}

/** A call that needs a live session: asks Salesforce whose it is. */
export async function whoami(conn: Connection): Promise<string> {
  const claims = await conn.identity()
  return String(claims.preferred_username)
}
