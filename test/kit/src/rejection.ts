import { SfAuthError } from '@sfauth/core'
import { expect } from 'vitest'

/** What a rejection must carry; each field given is compared exactly. */
export interface ExpectedError {
  errorCode?: string
  status?: number
  message?: string | RegExp
}

/**
 * Awaits `promise`, fails the test if it resolves, checks the reason is an {@link SfAuthError}
 * (and the fields of `expected`, when given) and returns it for further assertions.
 */
export async function rejection(
  promise: Promise<unknown>,
  expected: ExpectedError = {},
): Promise<SfAuthError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(SfAuthError)
  const sfErr = err as SfAuthError
  if (expected.errorCode !== undefined) expect(sfErr.errorCode).toBe(expected.errorCode)
  if (expected.status !== undefined) expect(sfErr.status).toBe(expected.status)
  if (expected.message !== undefined) expect(sfErr.message).toMatch(expected.message)
  return sfErr
}
