import { SfAuthError } from './errors.js'

const LOOPBACK_V4 = /^127(?:\.\d{1,3}){3}$/

/** True for hosts that never leave the machine: localhost, *.localhost, 127.0.0.0/8 and [::1]. */
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
 * Parses `value` and checks that it may carry credentials: `https:` anywhere, `http:` only to
 * a loopback host.
 *
 * @throws {TypeError} when `value` is not an absolute URL (`what` names it in the message).
 * @throws {SfAuthError} `ERR_INSECURE_URL` for `http:` to any other host, or another scheme.
 */
export function secureUrl(value: string, what: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new TypeError(`${what} must be an absolute URL, got ${JSON.stringify(value)}`)
  }
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url
  throw new SfAuthError(
    `${what} must use https:// (plain http:// is allowed only for loopback hosts): ${url.origin}`,
    { errorCode: 'ERR_INSECURE_URL' },
  )
}

/** `value` without a trailing slash, after checking it with {@link secureUrl}. Keeps any path prefix. */
export function baseUrl(value: string, what: string): string {
  const url = secureUrl(value, what)
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}

/** The origin of a server or instance URL (`https://na1.salesforce.com/services/Soap/u/64.0/00D…` → `https://na1.salesforce.com`). */
export function originOf(value: string, what: string): string {
  const url = secureUrl(value, what)
  if (url.hostname.endsWith('.lightning.force.com')) {
    throw new TypeError(`${what}: lightning URLs are not valid as instance URLs (${url.origin})`)
  }
  return url.origin
}
