import { answerAuthorizationCode } from './grant-authorization-code.js'
import { answerClientCredentials } from './grant-client-credentials.js'
import { answerJwtBearer, JWT_BEARER } from './grant-jwt-bearer.js'
import { answerPassword } from './grant-password.js'
import { answerRefreshToken } from './grant-refresh-token.js'
import { answerTokenExchange, TOKEN_EXCHANGE } from './grant-token-exchange.js'
import type { RequestContext } from './request-context.js'
import { oauthError } from './responses.js'
import type { EmulatorState } from './state.js'

type Grant = (
  ctx: RequestContext,
  state: EmulatorState,
  params: URLSearchParams,
) => Promise<Response>

const GRANTS = new Map<string, Grant>([
  ['authorization_code', answerAuthorizationCode],
  ['refresh_token', answerRefreshToken],
  ['password', answerPassword],
  ['client_credentials', answerClientCredentials],
  [JWT_BEARER, answerJwtBearer],
  [TOKEN_EXCHANGE, answerTokenExchange],
])

/**
 * `POST /services/oauth2/token`.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
 */
export async function tokenEndpoint(
  ctx: RequestContext,
  state: EmulatorState,
  params: URLSearchParams,
): Promise<Response> {
  if (ctx.request.method !== 'POST') return oauthError('invalid_request', 'must use HTTP POST')
  const grant = GRANTS.get(params.get('grant_type') ?? '')
  if (!grant) {
    return oauthError('unsupported_grant_type', 'grant type not supported')
  }
  return grant(ctx, state, params)
}
