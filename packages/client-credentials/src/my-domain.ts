import { SfAuthError } from '@sfauth/core/flow'

// This package's own error code, added to core's registry (no edit of core needed).
declare module '@sfauth/core/flow' {
  interface SfAuthErrorCodes {
    /** `@sfauth/client-credentials`: the grant needs a My Domain login URL. */
    ERR_MY_DOMAIN_REQUIRED: true
  }
}

/** Salesforce's shared login hosts, which refuse the client credentials grant. */
const GENERIC_LOGIN_HOSTS = new Set(['login.salesforce.com', 'test.salesforce.com'])

/** Where the grant has to go instead, in the words of Salesforce's My Domain docs. */
const MY_DOMAIN_FORMS =
  'https://MyDomainName.my.salesforce.com (sandbox: https://MyDomainName--SandboxName.sandbox.my.salesforce.com)'

function hint(instanceUrl: string | undefined): string {
  const mine =
    instanceUrl && !GENERIC_LOGIN_HOSTS.has(new URL(instanceUrl).hostname)
      ? `; this connection's instance URL ${instanceUrl} is likely it`
      : ''
  return `Salesforce accepts the client credentials flow only on your org's My Domain: set loginUrl to ${MY_DOMAIN_FORMS}${mine}`
}

/**
 * Refuses a generic login host before anything is sent: Salesforce would only answer
 * `invalid_grant` "request not supported on this domain", which does not say what to do.
 *
 * @throws {SfAuthError} `ERR_MY_DOMAIN_REQUIRED` for `login.salesforce.com` and `test.salesforce.com`.
 */
export function assertMyDomain(loginUrl: string, instanceUrl: string | undefined): void {
  // URL lower-cases the host, so any spelling of the generic hosts is caught.
  const host = new URL(loginUrl).hostname
  if (!GENERIC_LOGIN_HOSTS.has(host)) return
  throw new SfAuthError(`${host} is Salesforce's shared login host. ${hint(instanceUrl)}`, {
    errorCode: 'ERR_MY_DOMAIN_REQUIRED',
  })
}

/**
 * Adds the My Domain hint to Salesforce's own refusal, which a host the early check cannot
 * recognise (a proxy in front of a login host, a custom domain) still gets. The code stays
 * Salesforce's `invalid_grant` so that callers branching on it keep working.
 */
export function withMyDomainHint(err: unknown, instanceUrl: string | undefined): unknown {
  if (
    !(err instanceof SfAuthError) ||
    err.errorCode !== 'invalid_grant' ||
    !/not supported on this domain/i.test(err.message)
  ) {
    return err
  }
  return new SfAuthError(`${err.message}. ${hint(instanceUrl)}`, {
    errorCode: err.errorCode,
    status: err.status,
    cause: err,
  })
}
