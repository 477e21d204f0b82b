import { SfAuthError } from './errors.js'
import type { FlowContext } from './flow-types.js'
import { oauthEndpoints } from './oauth-endpoints.js'
import { errorFromResponse } from './parse-error.js'
import { verifyTokenSignature } from './token-signature.js'
import { parseJsonBody } from './transport.js'
import type { TokenResponse } from './types.js'
import { answeredOrigin } from './url.js'

/** Options for {@link callTokenEndpoint}. */
export interface TokenRequestOptions {
  /** Token endpoint; defaults to the context's login URL + `/services/oauth2/token`. */
  tokenUrl?: string
  /** Send client credentials as HTTP Basic instead of in the body. */
  basicAuth?: { clientId: string; clientSecret: string }
  /** When given, the response `signature` is checked with it. */
  clientSecret?: string
}

/**
 * Grants whose token answer Salesforce signs (`signature` over `id` + `issued_at` with the client
 * secret), per its documentation: web server (authorization code), refresh, client credentials,
 * device. Their answer must carry a valid signature when the client secret is known; any other
 * grant's is checked when present.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
const SIGNED_GRANTS = ['authorization_code', 'refresh_token', 'client_credentials', 'device']

/** Fields of a token answer that are strings when present. */
const STRING_FIELDS = [
  'access_token',
  'instance_url',
  'id',
  'refresh_token',
  'signature',
  'issued_at',
  'scope',
  'token_type',
  'id_token',
] as const

const SECRET_PARAMS = [
  'password',
  'client_secret',
  'refresh_token',
  'assertion',
  'code',
  'code_verifier',
  // Token exchange (RFC 8693): bearer credentials of another party.
  'subject_token',
  'actor_token',
]

/**
 * POSTs a grant to `/services/oauth2/token` and returns the checked token response. The one
 * token-endpoint call every OAuth flow shares.
 *
 * @param ctx the flow context (its `http` transport and `loginUrl`).
 * @param params the form parameters: `grant_type` and the grant's own; secrets among them
 *   (`password`, `client_secret`, `refresh_token`, `assertion`, `code`, `code_verifier`,
 *   `subject_token`, `actor_token`) are scrubbed from any error message and never become its
 *   `errorCode`.
 * @param options another token URL, HTTP Basic client authentication, the client secret that
 *   checks the response `signature`.
 * @returns the token response, with `access_token`, `instance_url` and `id` present.
 * @example
 * ```ts
 * const res = await callTokenEndpoint(ctx, { grant_type: 'client_credentials', client_id, client_secret })
 * return tokenResult(res)
 * ```
 * @throws {SfAuthError} Salesforce's `error` as `errorCode` (`invalid_grant`, ...), with its
 *   description as message and the HTTP status; `ERR_INVALID_RESPONSE` for a body that is not a
 *   token response (a field that is not a string, an `instance_url` that is not a URL, an answer
 *   larger than 1 MiB); `ERR_INSECURE_URL` for a plain `http:` `instance_url` unless the token URL
 *   is loopback `http:`; `ERR_SIGNATURE` for a bad signature, or a missing one when the client
 *   secret is known and the grant is one Salesforce signs (authorization code, refresh, client
 *   credentials, device); `ERR_REDIRECT` for a redirect, which is never followed.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
 */
export async function callTokenEndpoint(
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
  const answer = await ctx.http.send({ url, form: params, headers, secrets })
  if (answer.status < 200 || answer.status >= 300) throw errorFromResponse(answer, secrets)
  const res = parseJsonBody<TokenResponse | undefined>(answer, url)
  const invalid = (what: string) =>
    new SfAuthError(`The token endpoint answered ${answer.status} ${what}`, {
      errorCode: 'ERR_INVALID_RESPONSE',
      status: answer.status,
    })
  if (!res || typeof res !== 'object' || Array.isArray(res))
    throw invalid('without a token response')
  if (!res.access_token || !res.instance_url || !res.id) {
    throw invalid('without access_token, instance_url and id')
  }
  for (const field of STRING_FIELDS) {
    if (Object.hasOwn(res, field) && typeof res[field] !== 'string') {
      throw invalid(`with a ${field} that is not a string`)
    }
  }
  answeredOrigin(res.instance_url, 'instance_url in the token response', url)
  if (options.clientSecret !== undefined) {
    if (
      SIGNED_GRANTS.includes(params.grant_type ?? '') &&
      (res.signature === undefined || res.issued_at === undefined)
    ) {
      throw new SfAuthError(
        `The ${params.grant_type} token response is unsigned (no signature or issued_at): altered?`,
        { errorCode: 'ERR_SIGNATURE', status: answer.status },
      )
    }
    await verifyTokenSignature(res, options.clientSecret)
  }
  // An empty refresh_token is no refresh token: it must not replace the one the caller keeps.
  if (res.refresh_token === '') {
    const { refresh_token: _, ...rest } = res
    return rest
  }
  return res
}
