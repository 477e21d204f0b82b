import type { AuthorizationUrlParams } from './types.js'

/**
 * The authorize URL: `response_type=code` (unless the caller picks another), the client's own
 * `client_id`, `redirect_uri`, then every other parameter the caller gave. A challenge without a
 * method gets `S256`, so the request says what the caller almost certainly did instead of
 * leaving Salesforce to guess.
 */
export function authorizationUrl(
  endpoint: string,
  clientId: string,
  defaultRedirectUri: string | undefined,
  params: AuthorizationUrlParams,
): string {
  if (typeof params !== 'object' || params === null) {
    throw new TypeError('getAuthorizationUrl(params) takes an object such as { scope, state }')
  }
  const { response_type, client_id: _ignored, redirect_uri, ...rest } = params
  const redirectUri = redirect_uri ?? defaultRedirectUri
  if (!redirectUri) {
    throw new TypeError(
      'getAuthorizationUrl() needs a redirect URI: pass redirectUri to new OAuth2() or redirect_uri here',
    )
  }
  const query: Record<string, string | undefined> = {
    response_type: response_type ?? 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    ...rest,
  }
  if (query.code_challenge !== undefined && query.code_challenge_method === undefined) {
    query.code_challenge_method = 'S256'
  }
  const url = new URL(endpoint)
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue
    if (typeof value !== 'string') {
      throw new TypeError(`getAuthorizationUrl(): ${name} must be a string`)
    }
    url.searchParams.set(name, value)
  }
  return url.href
}
