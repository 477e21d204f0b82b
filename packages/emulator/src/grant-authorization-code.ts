import { authenticateClient } from './client-auth.js'
import { verifierMatches } from './pkce.js'
import type { RequestContext } from './request-context.js'
import { oauthError, tokenJson } from './responses.js'
import type { EmulatorState } from './state.js'
import { issueTokens, startFamily } from './token-response.js'

/**
 * `grant_type=authorization_code`: a single-use code bound to client and redirect URI, with
 * optional PKCE. A code_verifier sent for a code without a challenge is ignored, because jsforce
 * sends one on every token request.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export async function answerAuthorizationCode(
  ctx: RequestContext,
  state: EmulatorState,
  params: URLSearchParams,
): Promise<Response> {
  const app = authenticateClient(state, ctx.request, params)
  if (app instanceof Response) return app
  const value = params.get('code') ?? ''
  const code = state.codes.get(value)
  if (!code || code.clientId !== app.clientId) {
    return oauthError('invalid_grant', 'invalid authorization code')
  }
  // Single use: any presentation by the client it was issued to burns the code, failed or not.
  state.codes.delete(value)
  if (state.now() > code.expiresAt) return oauthError('invalid_grant', 'expired authorization code')
  if (params.get('redirect_uri') !== code.redirectUri) {
    return oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration')
  }
  if (code.codeChallenge !== undefined) {
    const verifier = params.get('code_verifier')
    if (!verifier) return oauthError('invalid_grant', 'invalid code verifier')
    if (!(await verifierMatches(verifier, code.codeChallenge, code.codeChallengeMethod))) {
      return oauthError('invalid_request', 'invalid code verifier')
    }
  }
  return tokenJson(
    await issueTokens({
      ctx,
      state,
      app,
      user: code.user,
      scope: code.scope,
      ...startFamily(state, code.user, app, code.scope, true),
      ...(code.nonce ? { nonce: code.nonce } : {}),
    }),
  )
}
