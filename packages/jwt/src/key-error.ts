import { SfAuthError } from '@sfauth/core'

/** The `errorCode` of every private-key problem this package reports. */
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
