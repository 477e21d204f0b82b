import { authenticateClient } from './client-auth.js'
import type { RequestContext } from './request-context.js'
import { oauthError, tokenJson } from './responses.js'
import type { EmulatorState } from './state.js'
import { issueTokens } from './token-response.js'

/**
 * `grant_type=refresh_token`. Without rotation (the default, as on Salesforce) the refresh token
 * stays the same and the answer carries none. With the app's `rotateRefreshTokens` each refresh
 * returns a new refresh token and invalidates the old one; replaying a rotated token revokes the
 * whole chain and its access tokens. An External Client App rotates unless told not to. A refresh
 * token left unused past the app's `refreshTokenIdleTimeoutMs` fails as an expired one does.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
 */
export async function answerRefreshToken(
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
  const idle = app.refreshTokenIdleTimeoutMs
  if (idle !== undefined && state.now() - family.lastUsed > idle) {
    state.revokeFamily(family)
    return expired()
  }
  family.lastUsed = state.now()
  // External Client Apps rotate refresh tokens unless the admin turned it off.
  const rotate = app.rotateRefreshTokens ?? app.externalClientApp === true
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

/**
 * Salesforce refuses a second refresh with the same refresh token while the first is still
 * being processed (Summer '24; this description since Winter '25). That is not a replay: the
 * chain stays valid.
 *
 * @see https://help.salesforce.com/s/articleView?id=release-notes.rn_security_refresh_token_error.htm&release=252&type=5
 */
export function alreadyProcessing(): Response {
  return oauthError('invalid_grant', 'token request is already being processed')
}

/**
 * Marks a refresh token as in flight from the moment its request arrives (before any configured
 * delay) until its answer is ready. Returns the answer-maker to use: the grant itself, or the
 * "already being processed" error when another request with the same token is in flight.
 */
export function guardRefresh(
  state: EmulatorState,
  params: URLSearchParams,
  respond: () => Promise<Response>,
): () => Promise<Response> {
  const token = params.get('refresh_token')
  if (!token) return respond
  if (state.refreshesInFlight.has(token)) return async () => alreadyProcessing()
  state.refreshesInFlight.add(token)
  return async () => {
    try {
      return await respond()
    } finally {
      state.refreshesInFlight.delete(token)
    }
  }
}
