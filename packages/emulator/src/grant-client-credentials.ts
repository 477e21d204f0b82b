import { authenticateClient } from './client-auth.js'
import { isLoginHost } from './hosts.js'
import type { RequestContext } from './request-context.js'
import { loginRateExceeded, oauthError, tokenJson } from './responses.js'
import type { EmulatorState } from './state.js'
import { accessScope, issueTokens } from './token-response.js'

/**
 * `grant_type=client_credentials`: only on the org's own domain (the loopback server counts as
 * one), with the client secret, running as the app's configured user. No refresh token.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm
 */
export async function answerClientCredentials(
  ctx: RequestContext,
  state: EmulatorState,
  params: URLSearchParams,
): Promise<Response> {
  if (isLoginHost(ctx.url.hostname)) {
    return oauthError('invalid_grant', 'request not supported on this domain')
  }
  const app = authenticateClient(state, ctx.request, params, { alwaysRequireSecret: true })
  if (app instanceof Response) return app
  if (!app.clientSecret) return oauthError('invalid_client', 'invalid client credentials')
  const user = state.findUser(app.clientCredentialsUser)
  if (!user) return oauthError('invalid_grant', 'no client credentials user enabled')
  if (!state.recordLogin(user)) return loginRateExceeded()
  return tokenJson(await issueTokens({ ctx, state, app, user, scope: accessScope(app) }))
}
