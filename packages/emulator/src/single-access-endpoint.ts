import { authorizationToken } from './form.js'
import type { RequestContext } from './request-context.js'
import { json, oauthError, text } from './responses.js'
import type { EmulatorState } from './state.js'

/** Where a frontdoor URL without `redirect_uri` lands: the Lightning home page. */
export const DEFAULT_START_URL = '/lightning/page/home'

/** A path on the instance: one leading slash, no scheme, no host (`//host`), no backslash. */
function isRelativePath(value: string): boolean {
  return value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')
}

/**
 * `POST /services/oauth2/singleaccess` (Single Access UI Bridge API): exchanges a live access
 * token (`Authorization: Bearer`, or `access_token` in the form) for a single-use frontdoor URL,
 * `{"frontdoor_uri":"INSTANCE/secur/frontdoor.jsp?otp=...&startURL=...&cshc=..."}`. The optional
 * `redirect_uri` is a relative path, sent on as `startURL`. GET with the same parameters in the
 * query works too (sfdx-core calls it that way). A dead token answers 403 `Bad_OAuth_Token`.
 *
 * @see https://help.salesforce.com/s/articleView?id=xcloud.frontdoor_singleaccess.htm&type=5
 */
export function singleAccessEndpoint(
  ctx: RequestContext,
  state: EmulatorState,
  params: URLSearchParams,
): Response {
  const token = authorizationToken(ctx.request) ?? params.get('access_token') ?? undefined
  const session = state.useSession(token)
  if (!session || session.restricted) return text('Bad_OAuth_Token', 403)
  const redirectUri = params.get('redirect_uri')
  if (redirectUri !== null && !isRelativePath(redirectUri)) {
    return oauthError('invalid_request', 'redirect_uri must be a relative path')
  }
  const startUrl = redirectUri ?? DEFAULT_START_URL
  const otp = state.issueOtp(session, startUrl)
  const query = new URLSearchParams({
    otp,
    startURL: startUrl,
    cshc: session.user.orgId.slice(3, 18),
  })
  return json({ frontdoor_uri: `${ctx.instanceUrl}/secur/frontdoor.jsp?${query}` })
}
