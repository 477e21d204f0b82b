import { authenticateClient } from './client-auth.js'
import type { RequestContext } from './request-context.js'
import { loginRateExceeded, oauthError, tokenJson } from './responses.js'
import type { EmulatorState } from './state.js'
import { accessScope, defaultScopes, issueTokens, startFamily } from './token-response.js'
import type { TokenExchangeHandler } from './types.js'

/** The OAuth 2.0 token exchange grant type (RFC 8693). */
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange'

/** Since Summer '24 a subject token may be up to 10,000 characters (it was 2,000). */
export const MAX_SUBJECT_TOKEN_LENGTH = 10_000

/** Subject token types Salesforce accepts (Apex `Auth.OAuth2TokenExchangeType`). */
const TOKEN_TYPES = new Set(
  ['access_token', 'refresh_token', 'id_token', 'jwt', 'saml2'].map(
    (t) => `urn:ietf:params:oauth:token-type:${t}`,
  ),
)

/**
 * `grant_type=urn:ietf:params:oauth:grant-type:token-exchange`: the named `token_handler` (else
 * the default one) maps `subject_token` to a user of the org, and the answer is a session for
 * that user with the requested scope (a subset of the app's). A refresh token comes with it when
 * the scope asks for one. The error texts are inferred: Salesforce documents the checks (handler,
 * token type, length, the handler's own validation) but publishes no sample error bodies.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_token_exchange_flow.htm
 * @see https://datatracker.ietf.org/doc/html/rfc8693#section-2.1
 */
export async function answerTokenExchange(
  ctx: RequestContext,
  state: EmulatorState,
  params: URLSearchParams,
): Promise<Response> {
  const app = authenticateClient(state, ctx.request, params)
  if (app instanceof Response) return app
  const subjectToken = params.get('subject_token')
  const subjectTokenType = params.get('subject_token_type')
  if (!subjectToken)
    return oauthError('invalid_request', 'missing required parameter: subject_token')
  if (!subjectTokenType) {
    return oauthError('invalid_request', 'missing required parameter: subject_token_type')
  }
  if (!TOKEN_TYPES.has(subjectTokenType)) {
    return oauthError('invalid_request', 'unsupported subject_token_type')
  }
  if (subjectToken.length > MAX_SUBJECT_TOKEN_LENGTH) {
    return oauthError(
      'invalid_request',
      `subject_token exceeds the maximum length of ${MAX_SUBJECT_TOKEN_LENGTH} characters`,
    )
  }
  const handler = findHandler(state, params.get('token_handler'))
  if (!handler || (handler.clientIds && !handler.clientIds.includes(app.clientId))) {
    return oauthError('invalid_request', 'invalid token handler')
  }
  if (handler.subjectTokenTypes && !handler.subjectTokenTypes.includes(subjectTokenType)) {
    return oauthError('invalid_request', 'unsupported subject_token_type for this token handler')
  }
  let username: string | undefined
  try {
    username = await handler.resolve(subjectToken, subjectTokenType)
  } catch {
    username = undefined
  }
  const user = state.findUser(username)
  if (!user) return oauthError('invalid_grant', 'invalid subject token')

  const allowed = defaultScopes(app)
  const requested = params.get('scope')
  const scopes = requested ? requested.split(' ').filter(Boolean) : undefined
  if (scopes?.some((s) => !allowed.includes(s) && s !== 'openid')) {
    return oauthError('invalid_scope', 'the requested scope is not allowed')
  }
  if (!state.recordLogin(user)) return loginRateExceeded()
  const scope = scopes ? scopes.join(' ') : accessScope(app)
  const body = await issueTokens({
    ctx,
    state,
    app,
    user,
    scope,
    ...startFamily(state, user, app, scope),
  })
  return tokenJson({ ...body, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' })
}

function findHandler(state: EmulatorState, name: string | null): TokenExchangeHandler | undefined {
  if (name) return state.tokenHandlers.get(name)
  const handlers = [...state.tokenHandlers.values()]
  return handlers.find((h) => h.isDefault) ?? handlers[0]
}
