import { Connection } from '@sfauth/core'
import { session } from '@sfauth/session'

/** What `identity()` learned: whose session it is. */
export interface Whoami {
  conn: Connection
  userId: string
  organizationId: string
  username: string
}

async function whoami(conn: Connection): Promise<Whoami> {
  const claims = await conn.identity()
  return {
    conn,
    userId: conn.userInfo!.id,
    organizationId: conn.userInfo!.organizationId,
    username: String(claims.preferred_username),
  }
}

/**
 * The seed “Session ID”: a session ID and its server URL passed from Salesforce (a custom link,
 * a Visualforce page, a SOAP login elsewhere) go straight into the constructor.
 */
export function reuseSessionId(serverUrl: string, sessionId: string): Promise<Whoami> {
  const conn = new Connection({ serverUrl, sessionId, flows: [session()] })
  return whoami(conn)
}

/**
 * The seed “Access Token”: an access token and its instance URL, saved after a login or an OAuth
 * authorization, establish the connection next time.
 */
export function reuseAccessToken(instanceUrl: string, accessToken: string): Promise<Whoami> {
  const conn = new Connection({ instanceUrl, accessToken, flows: [session()] })
  return whoami(conn)
}
