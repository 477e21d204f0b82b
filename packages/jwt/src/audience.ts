import { isLoopbackHost } from '@sfauth/core/flow'

/** The audience of production orgs, including their My Domains. */
export const PRODUCTION_AUDIENCE = 'https://login.salesforce.com'
/** The audience of sandboxes and scratch orgs, including their My Domains. */
export const SANDBOX_AUDIENCE = 'https://test.salesforce.com'

/** Sandbox and scratch org hosts: enhanced My Domains and the legacy `cs` instances. */
const SANDBOX_HOST =
  /(^|\.)(test\.salesforce\.com|[^.]+\.(sandbox|scratch)\.my\.salesforce\.com|cs\d+(\.my)?\.salesforce\.com)$/i
/** Experience Cloud and Salesforce Sites hosts, whose audience is the site itself. */
const SITE_HOST = /\.(site\.com|force\.com|salesforce-sites\.com)$/i

/**
 * The `aud` Salesforce expects for assertions sent to `loginUrl`: `https://login.salesforce.com`
 * for production (login.salesforce.com and My Domains), `https://test.salesforce.com` for
 * sandboxes (test.salesforce.com and `*.sandbox.my.salesforce.com`), and the site URL itself
 * for an Experience Cloud site (a site host, or any login URL with a path prefix). A loopback
 * login URL (a local emulator) is its own audience.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
export function audienceFor(loginUrl: string): string {
  const url = new URL(loginUrl)
  const path = url.pathname.replace(/\/+$/, '')
  const site = `${url.origin}${path}`
  if (path !== '' || isLoopbackHost(url.hostname) || SITE_HOST.test(url.hostname)) return site
  return SANDBOX_HOST.test(url.hostname) ? SANDBOX_AUDIENCE : PRODUCTION_AUDIENCE
}
