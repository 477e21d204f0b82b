import { SfAuthError } from './errors.js'

const LOOPBACK_V4 = /^127(?:\.\d{1,3}){3}$/

/**
 * True for hosts that never leave the machine: localhost, *.localhost, 127.0.0.0/8 and [::1].
 * Only these may be reached over plain `http://` (the emulator, local callbacks).
 *
 * @param hostname a URL's `hostname`.
 * @returns whether the host is loopback.
 * @throws never.
 * @see https://datatracker.ietf.org/doc/html/rfc8252#section-7.3
 * @example
 * ```ts
 * isLoopbackHost(new URL('http://127.0.0.1:8080').hostname) // true
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    host === '::1' ||
    LOOPBACK_V4.test(host)
  )
}

/**
 * Whether `value` holds credentials (`user:password@`) as a URL parser reads it: the forms
 * without `//` (`https:user:pass@host`, `https:/user:pass@host`, `https:\\user:pass@host`) as
 * well as `https://user:pass@host`. A value that does not parse counts when it has an `@`
 * anywhere. (A custom scheme without `//`, `myapp:x@y`, has no authority: nothing to find.)
 *
 * @param value a URL given in the options (a redirect URI, a login URL).
 * @returns whether a parsed `URL` of it has a username or password, or it does not parse and has an `@`.
 * @throws never.
 * @see https://url.spec.whatwg.org/#special-authority-ignore-slashes-state
 * @example
 * ```ts
 * carriesCredentials('https:user:pass@acme.example/callback') // true
 * ```
 */
export function carriesCredentials(value: string): boolean {
  try {
    const url = new URL(value)
    return url.username !== '' || url.password !== ''
  } catch {
    return value.includes('@')
  }
}

/**
 * Parses `value` and checks that it may carry credentials: `https:` anywhere, `http:` only to
 * a loopback host.
 *
 * @param value the URL to check.
 * @param what how error messages name it, e.g. `'loginUrl'`.
 * @returns the parsed URL.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
 * @example
 * ```ts
 * secureUrl('https://acme.my.salesforce.com/services/oauth2/token', 'tokenUrl')
 * ```
 *
 * @throws {TypeError} when `value` is not an absolute URL, or carries credentials
 *   (`user:password@`); the message names `what` and never quotes the value.
 * @throws {SfAuthError} `ERR_INSECURE_URL` for `http:` to any other host, or another scheme.
 */
export function secureUrl(value: string, what: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    // The value is not quoted: a mistyped URL may hold a secret pasted in the wrong place.
    throw new TypeError(`${what} must be an absolute URL (${typeof value}, not shown)`)
  }
  if (url.username || url.password) {
    throw new TypeError(`${what} must not carry credentials (user:password@)`)
  }
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url
  throw new SfAuthError(
    `${what} must use https:// (plain http:// is allowed only for loopback hosts): ${url.origin}`,
    { errorCode: 'ERR_INSECURE_URL' },
  )
}

/**
 * `value` without a trailing slash, after checking it with {@link secureUrl}. Keeps any path prefix.
 *
 * @param value a login or site URL.
 * @param what how error messages name it.
 * @returns the URL without query, hash or trailing slash.
 * @throws {TypeError} when `value` is not an absolute URL.
 * @throws {SfAuthError} `ERR_INSECURE_URL` for `http://` to a host that is not loopback.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
 * @example
 * ```ts
 * baseUrl('https://acme.my.site.com/partners/', 'loginUrl') // 'https://acme.my.site.com/partners'
 * ```
 */
export function baseUrl(value: string, what: string): string {
  const url = secureUrl(value, what)
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}

/**
 * The origin of a server or instance URL (`https://na1.salesforce.com/services/Soap/u/64.0/00D…` → `https://na1.salesforce.com`).
 *
 * @param value a SOAP server URL, an instance URL or any URL on the instance.
 * @param what how error messages name it.
 * @returns the origin, the instance URL.
 * @throws {TypeError} when `value` is not an absolute URL, or is a `*.lightning.force.com` URL.
 * @throws {SfAuthError} `ERR_INSECURE_URL` for `http://` to a host that is not loopback.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login_loginresult.htm
 * @example
 * ```ts
 * originOf(loginResult.serverUrl, 'serverUrl') // 'https://acme.my.salesforce.com'
 * ```
 */
export function originOf(value: string, what: string): string {
  const url = secureUrl(value, what)
  if (url.hostname.endsWith('.lightning.force.com')) {
    throw new TypeError(`${what}: lightning URLs are not valid as instance URLs (${url.origin})`)
  }
  return url.origin
}

/**
 * The origin of an instance URL a server answered (a token response's `instance_url`, a SOAP
 * login's `serverUrl`) or a store gave back: an absolute `https:` URL; plain `http:` only when
 * the login URL it came from is itself a loopback `http:` URL (the emulator). An https login that
 * answers `http://127.0.0.1:6379` is refused: the token would go there next.
 *
 * @param value the URL as answered.
 * @param what how error messages name it; the value itself is never quoted.
 * @param from the URL the answer came from (the login or token URL); without it, plain `http:`
 *   is allowed for loopback instance URLs (the answer's origin could not be told).
 * @returns the origin.
 * @throws {SfAuthError} `ERR_INVALID_RESPONSE` for a value that is not an absolute URL, carries
 *   credentials or is a lightning URL; `ERR_INSECURE_URL` for plain `http:` from an `https:` login.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
 * @example
 * ```ts
 * answeredOrigin(res.instance_url, 'instance_url', tokenUrl) // 'https://acme.my.salesforce.com'
 * ```
 */
export function answeredOrigin(value: unknown, what: string, from?: string): string {
  let url: URL | undefined
  try {
    url = new URL(value as string)
  } catch {
    // not a URL: refused below
  }
  if (
    !url ||
    typeof value !== 'string' ||
    url.username ||
    url.password ||
    url.hostname.endsWith('.lightning.force.com')
  ) {
    throw new SfAuthError(`${what} is not the absolute URL of an instance (not shown)`, {
      errorCode: 'ERR_INVALID_RESPONSE',
    })
  }
  const source = from === undefined ? undefined : new URL(from)
  const plainAllowed = !source || (source.protocol === 'http:' && isLoopbackHost(source.hostname))
  if (
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && plainAllowed && isLoopbackHost(url.hostname))
  ) {
    return url.origin
  }
  throw new SfAuthError(
    `${what} must use https:// (http:// only from a loopback http:// login): ${url.origin}`,
    { errorCode: 'ERR_INSECURE_URL' },
  )
}
