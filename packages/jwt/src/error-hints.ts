import { SfAuthError } from '@sfauth/core/flow'

interface Hint {
  errorCode: string
  description: RegExp
  hint: (audience: string | undefined) => string
}

/** Salesforce's JWT bearer errors and the usual cause of each. */
const HINTS: Hint[] = [
  {
    errorCode: 'invalid_grant',
    description: /invalid assertion/i,
    hint: () =>
      'the signature does not verify with the certificate uploaded to the connected app (a different key pair, or no certificate on the app), or the JWT is malformed (it must be RS256 with iss, sub, aud and exp)',
  },
  {
    errorCode: 'invalid_grant',
    description: /audience (is invalid|validation failed)/i,
    hint: (audience) =>
      `aud must be https://login.salesforce.com for production, https://test.salesforce.com for a sandbox, or the Experience Cloud site URL${audience ? ` (sent: ${audience})` : ''}; set loginUrl to the org's login URL or pass jwtBearer({ audience })`,
  },
  {
    errorCode: 'invalid_grant',
    description: /(hasn't|has not) approved this consumer/i,
    hint: () =>
      "pre-authorize the user: in the connected app's policies set Permitted Users to 'Admin approved users are pre-authorized' and add the user's profile or a permission set; also check that sub is the exact username (sandbox usernames end in .sandboxname)",
  },
  {
    errorCode: 'invalid_grant',
    description: /expired authorization code/i,
    hint: () =>
      "the assertion's exp is already past by Salesforce's clock: check this machine's clock, and sign the assertion just before sending it",
  },
  {
    errorCode: 'invalid_client_id',
    description: /client identifier invalid/i,
    hint: () =>
      "iss (clientId) must be the connected app's consumer key, from an app in the org that loginUrl points to",
  },
]

/**
 * Adds a one-line hint on the usual cause to Salesforce's JWT bearer errors, keeping its
 * `errorCode`, `status` and description. Other errors are returned as they are.
 * @param audience the `aud` this package signed, named in the audience hint.
 */
export function withHint(err: unknown, audience?: string): unknown {
  if (!(err instanceof SfAuthError)) return err
  const match = HINTS.find((h) => h.errorCode === err.errorCode && h.description.test(err.message))
  if (!match) return err
  return new SfAuthError(`${err.message}. Hint: ${match.hint(audience)}`, {
    errorCode: err.errorCode,
    ...(err.status === undefined ? {} : { status: err.status }),
    cause: err,
  })
}
