import { SfAuthError } from './errors.js'
import type { FlowContext, FlowResult } from './flow-types.js'
import type { Http } from './transport.js'
import type { Session, TokenResponse, UserInfo } from './types.js'
import { baseUrl, originOf } from './url.js'

/**
 * Where the OAuth endpoints of a login URL live; a path prefix (Experience Cloud sites) is kept.
 *
 * @param loginUrl `https://login.salesforce.com`, a sandbox, a My Domain or a site URL.
 * @returns the `authorize`, `token` and `revoke` endpoint URLs.
 * @throws {TypeError} when `loginUrl` is not an absolute URL.
 * @throws {SfAuthError} `ERR_INSECURE_URL` for `http://` to a host that is not loopback.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
 * @example
 * ```ts
 * oauthEndpoints('https://acme.my.site.com/partners').token
 * // 'https://acme.my.site.com/partners/services/oauth2/token'
 * ```
 */
export function oauthEndpoints(loginUrl: string): {
  authorize: string
  token: string
  revoke: string
} {
  const base = `${baseUrl(loginUrl, 'loginUrl')}/services/oauth2`
  return { authorize: `${base}/authorize`, token: `${base}/token`, revoke: `${base}/revoke` }
}

/**
 * Reads user and org IDs from an identity URL (`…/id/{orgId}/{userId}`).
 *
 * @param idUrl the `id` of a token response.
 * @returns `{ id, organizationId, url }`, or `undefined` when `idUrl` is not an identity URL.
 * @throws never: an unreadable URL gives `undefined`.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
 * @example
 * ```ts
 * parseIdUrl('https://login.salesforce.com/id/00Dxx0000001gPL/005xx000001Sv6A')
 * // { id: '005xx000001Sv6A', organizationId: '00Dxx0000001gPL', url: '…' }
 * ```
 */
export function parseIdUrl(idUrl: string): UserInfo | undefined {
  let path: string[]
  try {
    path = new URL(idUrl).pathname.split('/').filter(Boolean)
  } catch {
    return undefined
  }
  const at = path.lastIndexOf('id')
  const organizationId = path[at + 1]
  const id = path[at + 2]
  if (at < 0 || !organizationId || !id) return undefined
  return { id, organizationId, url: idUrl }
}

const encoder = new TextEncoder()

function base64(bytes: ArrayBuffer): string {
  let binary = ''
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/**
 * Checks a token response's `signature`: Base64(HMAC-SHA256(client secret, id + issued_at)).
 * Resolves when it matches or when the response carries no signature.
 *
 * @param res the token response.
 * @param clientSecret the connected app's consumer secret.
 * @returns a promise that resolves once the signature is checked.
 * @throws {SfAuthError} `ERR_SIGNATURE` when it does not match.
 * @example
 * ```ts
 * await verifyTokenSignature(tokenResponse, clientSecret)
 * ```
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export async function verifyTokenSignature(
  res: TokenResponse,
  clientSecret: string,
): Promise<void> {
  if (res.signature === undefined || res.issued_at === undefined) return
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(clientSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const expected = base64(
    await crypto.subtle.sign('HMAC', key, encoder.encode(res.id + res.issued_at)),
  )
  if (expected !== res.signature) {
    throw new SfAuthError(
      'The token response signature does not match its id and issued_at: the response was altered or the client secret is wrong',
      { errorCode: 'ERR_SIGNATURE' },
    )
  }
}

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

/**
 * Normalises a token response into a {@link Session}. A response without `refresh_token`
 * keeps `previous`'s; one with a new `refresh_token` (rotation) replaces it.
 *
 * @param res the token response.
 * @param previous the session being renewed, if any.
 * @returns the session, kind `'oauth2'`, with `userInfo` from the `id` URL.
 * @throws {SfAuthError} `ERR_INSECURE_URL` for an `http://` instance URL that is not loopback.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
 * @example
 * ```ts
 * const session = sessionFromToken(await requestToken(ctx, params), ctx.session)
 * ```
 */
export function sessionFromToken(res: TokenResponse, previous?: Session): Session {
  const refreshToken = res.refresh_token ?? previous?.refreshToken
  const userInfo = parseIdUrl(res.id)
  const issuedAt = res.issued_at === undefined ? undefined : Number(res.issued_at)
  return {
    accessToken: res.access_token,
    instanceUrl: originOf(res.instance_url, 'instance_url'),
    kind: 'oauth2',
    ...(refreshToken ? { refreshToken } : {}),
    ...(userInfo ? { userInfo } : {}),
    ...(issuedAt !== undefined && Number.isFinite(issuedAt) ? { issuedAt } : {}),
  }
}

/**
 * A {@link FlowResult} from a token response: what a flow's `login`, `authorize` and `renewSession` return.
 *
 * @param res the token response (it becomes the result's `response`, the `'refresh'` event's `res`).
 * @param previous the session being renewed, whose refresh token is kept unless a rotated one came back.
 * @param renewThis how to re-run this very login when the session expires, when the flow has a
 *   way of its own (it becomes the result's {@link FlowResult.renewThis}).
 * @returns the flow result.
 * @throws {SfAuthError} `ERR_INSECURE_URL` for an `http://` instance URL that is not loopback.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flows.htm
 * @example
 * ```ts
 * authorize: async (ctx, params) => tokenResult(await requestToken(ctx, params)),
 * ```
 */
export function tokenResult(
  res: TokenResponse,
  previous?: Session,
  renewThis?: FlowResult['renewThis'],
): FlowResult {
  return {
    session: sessionFromToken(res, previous),
    response: res,
    ...(renewThis ? { renewThis } : {}),
  }
}

/**
 * Revokes an access or refresh token (revoking a refresh token also revokes its access tokens).
 *
 * @param http the transport (`ctx.http`).
 * @param revokeUrl the revoke endpoint, `{instance or login URL}/services/oauth2/revoke`.
 * @param token the token to revoke; never shown in an error message.
 * @returns a promise that resolves once Salesforce has revoked it.
 * @example
 * ```ts
 * await revokeToken(ctx.http, oauthEndpoints(ctx.loginUrl).revoke, refreshToken)
 * ```
 * @throws {SfAuthError} `invalid_token` for a token Salesforce does not know (any more), or
 *   another Salesforce or transport error.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm
 */
export async function revokeToken(http: Http, revokeUrl: string, token: string): Promise<void> {
  await http.json<unknown>({ url: revokeUrl, form: { token }, secrets: [token] })
}

/**
 * Logs an OAuth session out: revokes its refresh token when it has one (which also kills its
 * access tokens), else its access token. A token that is already invalid counts as logged out.
 *
 * @param http the transport (`ctx.http`).
 * @param session the session to end.
 * @param revokeUrl defaults to the session's instance + `/services/oauth2/revoke`.
 * @returns a promise that resolves once the session is no longer valid on the server.
 * @throws {SfAuthError} Salesforce's or the transport's error, other than `invalid_token`.
 * @example
 * ```ts
 * logout: (ctx, session) => (session.kind === 'oauth2' ? revokeSession(ctx.http, session) : undefined),
 * ```
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm
 */
export async function revokeSession(
  http: Http,
  session: Session,
  revokeUrl = `${session.instanceUrl}/services/oauth2/revoke`,
): Promise<void> {
  try {
    await revokeToken(http, revokeUrl, session.refreshToken ?? session.accessToken)
  } catch (err) {
    if (err instanceof SfAuthError && err.errorCode === 'invalid_token') return
    throw err
  }
}
