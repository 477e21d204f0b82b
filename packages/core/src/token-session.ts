import type { FlowResult } from './flow-types.js'
import type { Session, TokenResponse, UserInfo } from './types.js'
import { answeredOrigin } from './url.js'

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

/**
 * Normalises a token response into a {@link Session}. A response without `refresh_token`
 * keeps `previous`'s; one with a new `refresh_token` (rotation) replaces it.
 *
 * @param res the token response.
 * @param previous the session being renewed, if any.
 * @returns the session, kind `'oauth2'`, with `userInfo` from the `id` URL.
 * @throws {SfAuthError} `ERR_INSECURE_URL` for an `http://` instance URL that is not loopback;
 *   `ERR_INVALID_RESPONSE` for an instance URL that is not a URL.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
 * @example
 * ```ts
 * const session = sessionFromToken(await callTokenEndpoint(ctx, params), ctx.session)
 * ```
 */
export function sessionFromToken(res: TokenResponse, previous?: Session): Session {
  // Only a non-empty string is a rotated refresh token; anything else keeps the previous one.
  const rotated = typeof res.refresh_token === 'string' && res.refresh_token !== ''
  const refreshToken = rotated ? (res.refresh_token as string) : previous?.refreshToken
  const userInfo = parseIdUrl(res.id)
  const issuedAt = res.issued_at === undefined ? undefined : Number(res.issued_at)
  return {
    accessToken: res.access_token,
    instanceUrl: answeredOrigin(res.instance_url, 'instance_url'),
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
 * authorize: async (ctx, params) => tokenResult(await callTokenEndpoint(ctx, params)),
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
