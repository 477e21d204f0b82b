import { SfAuthError } from '@sfauth/core'

/** Fails the current step with `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

/** Fails unless `actual` equals `expected` (strict). */
export function equal<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

/** Awaits `promise`, which must reject with an `SfAuthError` of `errorCode`; returns that error. */
export async function rejectsWith(
  promise: Promise<unknown>,
  errorCode: string,
  what: string,
): Promise<SfAuthError> {
  let err: unknown
  try {
    await promise
  } catch (caught) {
    err = caught
  }
  if (err === undefined) throw new Error(`${what}: expected ${errorCode}, but it succeeded`)
  if (!(err instanceof SfAuthError)) {
    throw new Error(`${what}: expected SfAuthError ${errorCode}, got ${String(err)}`)
  }
  if (err.errorCode !== errorCode) {
    throw new Error(`${what}: expected ${errorCode}, got ${err.errorCode}: ${err.message}`)
  }
  return err
}
