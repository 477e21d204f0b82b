import { SfAuthError } from '@sfauth/core/flow'

/** Where the move away from password logins is written up (in the repository, not the package). */
const MIGRATION_GUIDE = 'docs/migrating-from-password-logins.md'

/**
 * Appended to Salesforce's refusal of the password grant. Salesforce answers a flow that is
 * blocked (the org setting, the Winter '27 retirement) or absent (an External Client App) exactly
 * as it answers a wrong password, so the advice is conditional.
 */
const RETIRED_HINT = ` (If the credentials are right, Salesforce refused the username-password flow itself: blocked by default since Summer '23, retired for connected apps in Winter '27 (2027-02-20), never offered by External Client Apps. Move to @sfauth/jwt for an integration user, @sfauth/client-credentials server to server, or the web server flow of @sfauth/oauth2 for people: see ${MIGRATION_GUIDE}.)`

/** The answers a refused password grant gets: a failed login, or a grant the server lacks. */
function isRefusal(err: SfAuthError): boolean {
  return (
    (err.errorCode === 'invalid_grant' && /^authentication failure$/i.test(err.message)) ||
    err.errorCode === 'unsupported_grant_type'
  )
}

/**
 * Salesforce's refusal of the password grant with the replacement flows appended; any other
 * error as it is. Salesforce's code, status and description are kept.
 */
export function withRetirementHint(err: unknown): unknown {
  if (!(err instanceof SfAuthError) || !isRefusal(err)) return err
  return new SfAuthError(err.message + RETIRED_HINT, {
    errorCode: err.errorCode,
    ...(err.status === undefined ? {} : { status: err.status }),
    ...(err.cause === undefined ? {} : { cause: err.cause }),
  })
}
