import { baseUrl } from './url.js'

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
