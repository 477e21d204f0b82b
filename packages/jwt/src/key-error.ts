import { SfAuthError, safeCause } from '@sfauth/core/flow'

// This package's own error code, added to core's registry (no edit of core needed).
declare module '@sfauth/core/flow' {
  interface SfAuthErrorCodes {
    /** `@sfauth/jwt`: the private key cannot sign (encrypted, a certificate, not RSA, empty). */
    ERR_INVALID_KEY: true
  }
}

/**
 * The `errorCode` of every private-key problem this package reports: an empty string, an
 * encrypted key, a certificate or public key, a non-RSA key, a damaged PEM. Apps compare
 * `err.errorCode === 'ERR_INVALID_KEY'`, which the registry entry above types, as for every other
 * library code.
 */
export const INVALID_KEY = 'ERR_INVALID_KEY'

/**
 * An {@link SfAuthError} for a private key that cannot sign. The message names what was passed
 * (a label, a key type) and never any of the key's material.
 */
export function invalidKey(message: string, cause?: unknown): SfAuthError {
  return new SfAuthError(`privateKey ${message}`, {
    errorCode: INVALID_KEY,
    ...(cause === undefined ? {} : { cause: safeCause(cause) }),
  })
}
