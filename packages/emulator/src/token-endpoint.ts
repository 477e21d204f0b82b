import { authorizationCodeGrant } from './grant-authorization-code.js'
import { clientCredentialsGrant } from './grant-client-credentials.js'
import { JWT_BEARER, jwtBearerGrant } from './grant-jwt-bearer.js'
import { passwordGrant } from './grant-password.js'
import { refreshTokenGrant } from './grant-refresh-token.js'
import { TOKEN_EXCHANGE, tokenExchangeGrant } from './grant-token-exchange.js'
import type { RequestContext } from './request-context.js'
import { oauthError } from './responses.js'
import type { EmulatorState } from './state.js'

type Grant = (
  ctx: RequestContext,
  state: EmulatorState,
  params: URLSearchParams,
) => Promise<Response>

const GRANTS = new Map<string, Grant>([
  ['authorization_code', authorizationCodeGrant],
  ['refresh_token', refreshTokenGrant],
  ['password', passwordGrant],
  ['client_credentials', clientCredentialsGrant],
  [JWT_BEARER, jwtBearerGrant],
  [TOKEN_EXCHANGE, tokenExchangeGrant],
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
