import { Connection } from '@sfauth/core'
import { session } from '@sfauth/session'

/**
 * The seed “Logout”, for a session ID: SOAP `logout()` on the server, then the connection
 * forgets it. Written with the seed's callback; without one, `conn.logout()` returns a promise.
 */
export function logoutSessionId(serverUrl: string, sessionId: string): Promise<void> {
  const conn = new Connection({ sessionId, serverUrl, flows: [session()] })
  return new Promise((resolve, reject) => {
    conn.logout((err) => {
      if (err) return reject(err)
      // now the session has been expired.
      resolve()
    })
  })
}

/** The same for an OAuth access token: it is revoked on the server. */
export async function logoutAccessToken(instanceUrl: string, accessToken: string): Promise<void> {
  const conn = new Connection({ instanceUrl, accessToken, flows: [session()] })
  await conn.logout()
}

/** Whether Salesforce still accepts a session: `identity()` rejects for a dead one. */
export async function isAlive(instanceUrl: string, accessToken: string): Promise<boolean> {
  const conn = new Connection({ instanceUrl, accessToken, flows: [session()] })
  return conn.identity().then(
    () => true,
    () => false,
  )
}
