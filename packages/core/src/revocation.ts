import { SfAuthError } from './errors.js'
import type { Http } from './transport.js'
import type { Session } from './types.js'

/**
 * Revokes an access or refresh token (revoking a refresh token also revokes its access tokens).
 *
 * @param http the transport (`ctx.http`).
 * @param revokeUrl the revoke endpoint, `{instance or login URL}/services/oauth2/revoke`.
 * @param token the token to revoke; never shown in an error message.
 * @returns a promise that resolves once Salesforce has revoked it.
 * @example
 * ```ts
 * await callRevokeEndpoint(ctx.http, oauthEndpoints(ctx.loginUrl).revoke, refreshToken)
 * ```
 * @throws {SfAuthError} `invalid_token` for a token Salesforce does not know (any more), or
 *   another Salesforce or transport error.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm
 */
export async function callRevokeEndpoint(
  http: Http,
  revokeUrl: string,
  token: string,
): Promise<void> {
  await http.json<unknown>({ url: revokeUrl, form: { token }, secrets: [token] })
}

/**
 * Logs an OAuth session out: revokes its refresh token when it has one (which also kills its
 * access tokens), else its access token. A token that is already invalid counts as logged out.
 *
 * @param http the transport (`ctx.http`).
 * @param session the session to end.
 * @param revokeUrl defaults to the session's instance + `/services/oauth2/revoke`.
 * @returns a promise that resolves once the session is no longer valid on the server.
 * @throws {SfAuthError} Salesforce's or the transport's error, other than `invalid_token`.
 * @example
 * ```ts
 * logout: (ctx, session) => (session.kind === 'oauth2' ? revokeSession(ctx.http, session) : undefined),
 * ```
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm
 */
export async function revokeSession(
  http: Http,
  session: Session,
  revokeUrl = `${session.instanceUrl}/services/oauth2/revoke`,
): Promise<void> {
  try {
    await callRevokeEndpoint(http, revokeUrl, session.refreshToken ?? session.accessToken)
  } catch (err) {
    if (err instanceof SfAuthError && err.errorCode === 'invalid_token') return
    throw err
  }
}
