import { SfAuthError } from './errors.js'
import type { FlowContext } from './flow-types.js'
import { oauthEndpoints } from './oauth-endpoints.js'
import { verifyTokenSignature } from './token-signature.js'
import type { TokenResponse } from './types.js'
import { originOf } from './url.js'

/** Options for {@link requestToken}. */
export interface TokenRequestOptions {
  /** Token endpoint; defaults to the context's login URL + `/services/oauth2/token`. */
  tokenUrl?: string
  /** Send client credentials as HTTP Basic instead of in the body. */
  basicAuth?: { clientId: string; clientSecret: string }
  /** When given, the response `signature` is checked with it. */
  clientSecret?: string
}

const SECRET_PARAMS = [
  'password',
  'client_secret',
  'refresh_token',
  'assertion',
  'code',
  'code_verifier',
]

/**
 * POSTs a grant to `/services/oauth2/token` and returns the checked token response. The one
 * token-endpoint call every OAuth flow shares.
 *
 * @param ctx the flow context (its `http` transport and `loginUrl`).
 * @param params the form parameters: `grant_type` and the grant's own; secrets among them
 *   (`password`, `client_secret`, `refresh_token`, `assertion`, `code`, `code_verifier`) are
 *   scrubbed from any error message.
 * @param options another token URL, HTTP Basic client authentication, the client secret that
 *   checks the response `signature`.
 * @returns the token response, with `access_token`, `instance_url` and `id` present.
 * @example
 * ```ts
 * const res = await requestToken(ctx, { grant_type: 'client_credentials', client_id, client_secret })
 * return tokenResult(res)
 * ```
 * @throws {SfAuthError} Salesforce's `error` as `errorCode` (`invalid_grant`, ...), with its
 *   description as message and the HTTP status; `ERR_INVALID_RESPONSE` for a body that is not a
 *   token response; `ERR_SIGNATURE` for a bad signature.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
 */
export async function requestToken(
  ctx: Pick<FlowContext, 'http' | 'loginUrl'>,
  params: Record<string, string | undefined>,
  options: TokenRequestOptions = {},
): Promise<TokenResponse> {
  const url = options.tokenUrl ?? oauthEndpoints(ctx.loginUrl).token
  const secrets = SECRET_PARAMS.map((name) => params[name])
  const headers: Record<string, string> = {}
  if (options.basicAuth) {
    const { clientId, clientSecret } = options.basicAuth
    headers.Authorization = `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`)}`
    secrets.push(clientSecret, headers.Authorization)
  }
  const res = await ctx.http.json<TokenResponse>({ url, form: params, headers, secrets })
  if (
    !res ||
    typeof res !== 'object' ||
    typeof res.access_token !== 'string' ||
    typeof res.instance_url !== 'string' ||
    typeof res.id !== 'string'
  ) {
    throw new SfAuthError(
      'The token endpoint answered 2xx without access_token, instance_url and id',
      { errorCode: 'ERR_INVALID_RESPONSE' },
    )
  }
  originOf(res.instance_url, 'instance_url in the token response')
  if (options.clientSecret !== undefined) await verifyTokenSignature(res, options.clientSecret)
  return res
}
