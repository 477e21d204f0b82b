import { SfAuthError } from '../errors.js'
import { secureUrl } from '../url.js'

/** Where a connection may send its session. */
export interface RequestTarget {
  /** The instance URL (an origin), if the connection knows it. */
  instanceUrl: string | undefined
  /** The login URL; its origin also receives the session (`/services/oauth2/userinfo`, ...). */
  loginUrl: string
  /** The API version for relative REST paths. */
  version: string
}

/**
 * Resolves what `request()` was given to the URL that gets the session, and refuses any other
 * origin: the access token goes only to the instance or the login URL.
 *
 * - an absolute URL: kept when its origin is the instance's or the login URL's (and it passes
 *   {@link secureUrl});
 * - `/services/...`: against the instance URL;
 * - anything else: against `/services/data/v{version}/`.
 *
 * @throws {SfAuthError} `ERR_NO_SESSION` without an instance URL; `ERR_INSECURE_URL` for
 *   `http://` to a host that is not loopback.
 * @throws {TypeError} for an absolute URL on another origin.
 */
export function resolveRequestUrl(pathOrUrl: string, target: RequestTarget): string {
  const instance = target.instanceUrl
  if (!instance)
    throw new SfAuthError('The connection has no instance URL', { errorCode: 'ERR_NO_SESSION' })
  if (/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) {
    const url = secureUrl(pathOrUrl, 'request URL')
    const allowed = [instance, new URL(target.loginUrl).origin]
    if (!allowed.includes(url.origin)) {
      throw new TypeError(
        `request() sends the session only to the instance (${instance}) or the login URL, not to ${url.origin}`,
      )
    }
    return url.href
  }
  if (pathOrUrl.startsWith('/services/') || pathOrUrl === '/services') return instance + pathOrUrl
  return `${instance}/services/data/v${target.version}/${pathOrUrl.replace(/^\/+/, '')}`
}
