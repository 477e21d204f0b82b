import { authenticateClient } from './client-auth.js'
import type { RequestContext } from './request-context.js'
import { oauthError, tokenJson } from './responses.js'
import type { EmulatorState } from './state.js'
import { issueTokens } from './token-response.js'

/**
 * `grant_type=refresh_token` with refresh token rotation: each refresh returns a new refresh
 * token and invalidates the old one; replaying a rotated token revokes the whole chain and its
 * access tokens.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
 */
export async function refreshTokenGrant(
  ctx: RequestContext,
  state: EmulatorState,
  params: URLSearchParams,
): Promise<Response> {
  const app = authenticateClient(state, ctx.request, params)
  if (app instanceof Response) return app
  const token = params.get('refresh_token') ?? ''
  const family = state.families.get(token)
  const expired = () => oauthError('invalid_grant', 'expired access/refresh token')
  if (!family || family.revoked || family.clientId !== app.clientId) return expired()
  if (family.current !== token) {
    state.revokeFamily(family)
    return expired()
  }
  const rotate = app.rotateRefreshTokens !== false
  if (rotate) state.rotate(family)
  return tokenJson(
    await issueTokens({
      ctx,
      state,
      app,
      user: family.user,
      scope: family.scope,
      family,
      includeRefreshToken: rotate,
    }),
  )
}
