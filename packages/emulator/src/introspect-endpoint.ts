import { authenticateClient } from './client-auth.js'
import type { RequestContext } from './request-context.js'
import { json } from './responses.js'
import type { EmulatorState } from './state.js'

const seconds = (ms: number) => Math.floor(ms / 1000)

/**
 * `POST /services/oauth2/introspect`: whether an access or refresh token is live, for a connected
 * app authenticated with its secret (body or Basic). Inactive tokens answer `{"active":false}`.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oidc_token_introspection.htm
 * @see https://datatracker.ietf.org/doc/html/rfc7662#section-2.2
 */
export function introspectEndpoint(
  ctx: RequestContext,
  state: EmulatorState,
  params: URLSearchParams,
): Response {
  const app = authenticateClient(state, ctx.request, params, { alwaysRequireSecret: true })
  if (app instanceof Response) return app
  const token = params.get('token') ?? ''
  const family = state.families.get(token)
  if (family && !family.revoked && family.current === token) {
    return json({
      active: true,
      scope: family.scope,
      client_id: family.clientId,
      username: family.user.username,
      sub: `${ctx.url.origin}/id/${family.user.orgId}/${family.user.userId}`,
      token_type: 'refresh_token',
    })
  }
  const session = state.peekSession(token)
  if (!session) return json({ active: false })
  const iat = seconds(session.issuedAt)
  return json({
    active: true,
    scope: session.scope,
    ...(session.clientId ? { client_id: session.clientId } : {}),
    username: session.user.username,
    sub: session.idUrl,
    token_type: 'access_token',
    exp: seconds(session.lastUsed) + state.sessionSeconds,
    iat,
    nbf: iat,
  })
}
