import { authenticateClient } from './client-auth.js'
import type { RequestContext } from './request-context.js'
import { loginRateExceeded, oauthError, tokenJson } from './responses.js'
import type { EmulatorState, StoredUser } from './state.js'
import { accessScope, issueTokens } from './token-response.js'

/**
 * Whether an API password is right: the password with the security token appended when the user
 * has one (API logins from outside trusted networks need it).
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.user_security_token.htm
 */
export function apiPasswordMatches(user: StoredUser, password: string): boolean {
  return password === user.password + (user.securityToken ?? '')
}

/**
 * `grant_type=password` (username-password flow). Never issues a refresh token. Any failure,
 * including the flow being blocked for the app or the org, or asked of an External Client App
 * (which has no such flow), reads "authentication failure".
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_username_password_flow.htm
 */
export async function answerPassword(
  ctx: RequestContext,
  state: EmulatorState,
  params: URLSearchParams,
): Promise<Response> {
  const app = authenticateClient(state, ctx.request, params)
  if (app instanceof Response) return app
  const user = state.findUser(params.get('username') ?? undefined)
  if (
    app.allowPasswordGrant === false ||
    app.externalClientApp === true ||
    state.blockUsernamePasswordFlow ||
    !user ||
    user.passwordExpired ||
    !apiPasswordMatches(user, params.get('password') ?? '')
  ) {
    return oauthError('invalid_grant', 'authentication failure')
  }
  if (!state.recordLogin(user)) return loginRateExceeded()
  return tokenJson(await issueTokens({ ctx, state, app, user, scope: accessScope(app) }))
}
