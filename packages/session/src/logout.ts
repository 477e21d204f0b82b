import { type FlowContext, revokeSession, type Session, soapLogout } from '@sfauth/core/flow'

/**
 * Invalidates `session` on the server the way Salesforce documents for its kind: a SOAP session
 * ID ends with the Partner API `logout()` call; an OAuth token is revoked at the instance's
 * `/services/oauth2/revoke` (its refresh token when it has one, which takes the access tokens
 * with it). A session that is already invalid counts as logged out.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_logout.htm
 * @see https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_revoke_token.htm&type=5
 */
export function logoutSession(ctx: FlowContext, session: Session): Promise<void> {
  return session.kind === 'soap'
    ? soapLogout(ctx.http, session.instanceUrl, ctx.version, session.accessToken)
    : revokeSession(ctx.http, session)
}
