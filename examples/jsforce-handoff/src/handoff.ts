import type { Connection } from '@sfauth/core'
import type { ConnectionConfig } from 'jsforce'

/**
 * The options for a jsforce `Connection` that uses an @sfauth connection's session: jsforce keeps
 * the queries, @sfauth keeps the session. On an expired session jsforce calls `refreshFn`, which
 * is `conn.renew()`: the renewal goes through the flow that made the session (a rotated refresh
 * token is kept, a saved session is updated) and is shared with every other caller of `conn`.
 *
 * jsforce stays the application's own dependency: only its types are used here.
 */
export function jsforceOptions(conn: Connection): ConnectionConfig {
  if (!conn.instanceUrl || !conn.accessToken) {
    throw new TypeError('log in with @sfauth first: the connection has no session to hand off')
  }
  return {
    instanceUrl: conn.instanceUrl,
    accessToken: conn.accessToken,
    version: conn.version,
    refreshFn: (_jsforceConn, callback) => {
      conn.renew().then(
        (accessToken) => callback(null, accessToken),
        (err: Error) => callback(err),
      )
    },
  }
}
