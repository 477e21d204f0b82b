import { isLoopbackHost, SfAuthError } from '@sfauth/core/flow'

/**
 * Salesforce's login hosts. The government and China clouds are left out: Salesforce documents
 * no id_token issuer there, so an app on them names its issuer with the `issuer` option.
 * @see https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid_discovery_endpoint.htm
 */
const LOGIN_HOSTS = ['login.salesforce.com', 'test.salesforce.com']

/**
 * A My Domain login host: `<name>.my.salesforce.com`, or one label more for the sandbox and
 * partitioned forms (`<name>--<sandbox>.sandbox.my.salesforce.com`, `<name>.develop.`,
 * `.scratch.`, `.demo.`, `.free.`, `.patch.`, `.trailblaze.my.salesforce.com`). Only Salesforce's
 * identity service answers `/id/keys` on these hosts; a Site or an Experience Cloud site
 * (`*.site.com`, `*.force.com`, `*.salesforce-sites.com`) serves what its org uploads or rewrites,
 * so it is never trusted without `issuer`.
 * @see https://help.salesforce.com/s/articleView?id=sf.domain_name_url_formats.htm
 */
const MY_DOMAIN = /^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)?\.my\.salesforce\.com$/

function invalid(reason: string): SfAuthError {
  return new SfAuthError(`id_token rejected: ${reason}`, { errorCode: 'ERR_ID_TOKEN_INVALID' })
}

function trimSlash(value: string): string {
  return value.replace(/\/+$/, '')
}

/**
 * Checks a token's `iss` before any key is fetched from it. The raw string must hold no `?` or
 * `#` (the URL parser reports a bare one as empty), the parsed URL no credentials, and it must be
 * https (http only for a loopback host). Then, with `allowed`, it must be one of them; without,
 * exactly `https://<host>` for a Salesforce login or My Domain host: no path, no port.
 * @returns the issuer's key set URL, `<issuer>/id/keys`, built from the parsed URL: it never
 *   depends on how a string concatenation would read.
 */
export function checkIssuer(iss: unknown, allowed: readonly string[] | undefined): string {
  if (typeof iss !== 'string' || iss === '') throw invalid('no "iss" claim')
  if (/[?#]/.test(iss)) throw invalid('"iss" must not carry a query or a fragment')
  let url: URL
  try {
    url = new URL(iss)
  } catch {
    throw invalid('"iss" is not a URL')
  }
  if (url.username || url.password) throw invalid('"iss" must not carry credentials')
  const loopback = isLoopbackHost(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw invalid(
      `"iss" must be an https:// URL (http:// only for loopback hosts), got ${url.protocol}//${url.host}`,
    )
  }
  if (allowed) {
    if (!allowed.some((value) => trimSlash(value) === trimSlash(iss))) {
      throw invalid(`unexpected "iss" ${url.origin}: not among the allowed issuers`)
    }
  } else if (
    url.port !== '' ||
    trimSlash(iss).toLowerCase() !== url.origin ||
    !(LOGIN_HOSTS.includes(url.hostname) || MY_DOMAIN.test(url.hostname))
  ) {
    throw invalid(
      `unexpected "iss" ${url.origin}: not a Salesforce login or My Domain host (a site, a custom domain or a loopback issuer must be named with { issuer })`,
    )
  }
  const keys = new URL(url.origin)
  keys.pathname = `${trimSlash(url.pathname)}/id/keys`
  return keys.href
}
