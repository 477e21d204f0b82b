import { SfAuthError } from '@sfauth/core/flow'

// This package's own error code, added to core's registry (no edit of core needed).
declare module '@sfauth/core/flow' {
  interface SfAuthErrorCodes {
    /** `@sfauth/jwt`: the private key cannot sign (encrypted, a certificate, not RSA, empty). */
    ERR_INVALID_KEY: true
  }
}

/**
 * The `errorCode` of every private-key problem this package reports (`'ERR_INVALID_KEY'`): an
 * empty string, an encrypted key, a certificate or public key, a non-RSA key, a damaged PEM.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.sfdx_dev.meta/sfdx_dev/sfdx_dev_auth_key_and_cert.htm
 * @example
 * ```ts
 * try { await conn.authorize({ grant_type: JWT_BEARER_GRANT_TYPE }) } catch (err) {
 *   if (err instanceof SfAuthError && err.errorCode === INVALID_KEY) console.error(err.message)
 * }
 * ```
 */
export const INVALID_KEY = 'ERR_INVALID_KEY'

/**
 * An {@link SfAuthError} for a private key that cannot sign. The message names what was passed
 * (a label, a key type) and never any of the key's material.
 */
export function invalidKey(message: string, cause?: unknown): SfAuthError {
  return new SfAuthError(`privateKey ${message}`, {
    errorCode: INVALID_KEY,
    ...(cause === undefined ? {} : { cause }),
  })
}
