import { isLoopbackHost, SfAuthError } from '@sfauth/core/flow'

/**
 * Domains Salesforce serves login, My Domain, sandbox and Experience Cloud hosts from. Without an
 * `issuer` option only these (and loopback, for the emulator) may be a token's `iss`: the keys
 * are fetched from the issuer the token names, so an open rule would let anyone who runs a web
 * server mint tokens that verify.
 * @see https://help.salesforce.com/s/articleView?id=sf.domain_name_url_formats.htm
 */
const SALESFORCE_DOMAINS =
  /(?:^|\.)(?:salesforce\.com|force\.com|site\.com|salesforce-sites\.com|cloudforce\.com|salesforce\.mil|sfcrmproducts\.cn)$/i

function invalid(reason: string): SfAuthError {
  return new SfAuthError(`id_token rejected: ${reason}`, { errorCode: 'ERR_ID_TOKEN_INVALID' })
}

function trimSlash(value: string): string {
  return value.replace(/\/+$/, '')
}

/**
 * Checks a token's `iss` before any key is fetched from it: an https URL (http only for a
 * loopback host), without query or fragment, on a Salesforce domain or among `allowed`.
 * @returns the issuer without a trailing slash, where `/id/keys` hangs off.
 */
export function checkIssuer(iss: unknown, allowed: readonly string[] | undefined): string {
  if (typeof iss !== 'string' || iss === '') throw invalid('no "iss" claim')
  let url: URL
  try {
    url = new URL(iss)
  } catch {
    throw invalid('"iss" is not a URL')
  }
  const loopback = isLoopbackHost(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw invalid(
      `"iss" must be an https:// URL (http:// only for loopback hosts), got ${url.protocol}//${url.host}`,
    )
  }
  if (url.search || url.hash || url.username || url.password) {
    throw invalid('"iss" must not carry credentials, a query or a fragment')
  }
  const issuer = trimSlash(iss)
  if (allowed) {
    if (!allowed.some((value) => trimSlash(value) === issuer)) {
      throw invalid(`unexpected "iss" ${url.origin}: not among the allowed issuers`)
    }
  } else if (!loopback && !SALESFORCE_DOMAINS.test(url.hostname)) {
    throw invalid(
      `unexpected "iss" ${url.origin}: not a Salesforce host; pass { issuer } to accept a custom domain`,
    )
  }
  return issuer
}
