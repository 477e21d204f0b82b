import { SfAuthError } from '@sfauth/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseAuthorizationCallback } from '../src/index.js'

/** The error `fn` throws. */
function thrown(fn: () => unknown): SfAuthError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(SfAuthError)
    return err as SfAuthError
  }
  throw new Error('expected a throw')
}

describe('login CSRF through an expired user session', () => {
  // The README's pattern: the state lives in the user's web session. When that session has
  // expired, the callback handler runs with a fresh, empty one.
  const expiredSession: { state?: string } = {}
  const attackerCallback = 'https://app.example.com/oauth2/callback?code=ATTACKERS_CODE&state=x'

  it('refuses an attacker-made callback when the expected state is undefined', () => {
    const err = thrown(() =>
      parseAuthorizationCallback(attackerCallback, { state: expiredSession.state }),
    )
    expect(err.errorCode).toBe('ERR_STATE_MISMATCH')
  })

  it('refuses a callback without state when the expected state is undefined or empty', () => {
    for (const state of [undefined, '']) {
      const err = thrown(() => parseAuthorizationCallback('?code=ATTACKERS_CODE', { state }))
      expect(err.errorCode).toBe('ERR_STATE_MISMATCH')
      const withEmpty = thrown(() =>
        parseAuthorizationCallback('?code=ATTACKERS_CODE&state=', { state }),
      )
      expect(withEmpty.errorCode).toBe('ERR_STATE_MISMATCH')
    }
  })

  it('does not even believe an error callback when the expected state is missing', () => {
    const err = thrown(() =>
      parseAuthorizationCallback('?error=access_denied', { state: expiredSession.state }),
    )
    expect(err.errorCode).toBe('ERR_STATE_MISMATCH')
  })

  it('still accepts the callback when no state key is given at all (no state was sent)', () => {
    expect(parseAuthorizationCallback('?code=c')).toEqual({ code: 'c', state: undefined })
    expect(parseAuthorizationCallback('?code=c', {})).toEqual({ code: 'c', state: undefined })
  })

  it('property: a code is returned only when the callback state equals a non-empty expected state', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.string(), { nil: undefined }),
        fc.string({ minLength: 1 }),
        (expected, got, code) => {
          const params = new URLSearchParams({ code })
          if (got !== undefined) params.set('state', got)
          let result: unknown
          try {
            result = parseAuthorizationCallback(params, { state: expected })
          } catch (err) {
            expect((err as SfAuthError).errorCode).toBe('ERR_STATE_MISMATCH')
            expect(expected === undefined || expected === '' || got !== expected).toBe(true)
            return
          }
          expect(expected).not.toBe('')
          expect(expected).toBeDefined()
          expect(got).toBe(expected)
          expect(result).toEqual({ code, state: got })
        },
      ),
    )
  })
})

describe('callback error text is untrusted', () => {
  it('caps error_description and strips control characters (no forged log lines)', () => {
    const forged = `denied\n2026-01-01 INFO admin logged in\u001b[2J\u202e${'A'.repeat(50_000)}`
    const err = thrown(() =>
      parseAuthorizationCallback(
        `?${new URLSearchParams({ error: 'access_denied', error_description: forged, state: 's' })}`,
        { state: 's' },
      ),
    )
    expect(err.errorCode).toBe('access_denied')
    expect(err.message.length).toBeLessThanOrEqual(1001)
    expect(err.message).toMatch(/^denied2026-01-01 INFO admin logged in\[2JA+…$/)
  })

  it('caps the error code too, and never leaves it empty', () => {
    const long = thrown(() => parseAuthorizationCallback({ error: `x\r\n${'E'.repeat(10_000)}` }))
    expect(long.errorCode.length).toBeLessThanOrEqual(201)
    expect(long.errorCode).not.toMatch(/[\r\n]/)
    const onlyControls = thrown(() => parseAuthorizationCallback({ error: '\u0000\u0007' }))
    expect(onlyControls.errorCode).toBe('ERR_INVALID_RESPONSE')
  })

  it('property: errorCode and message are bounded and free of control characters for any input', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 3000 }),
        fc.option(fc.string({ unit: 'binary', maxLength: 5000 }), { nil: undefined }),
        (error, description) => {
          const query: Record<string, string> = { error }
          if (description !== undefined) query.error_description = description
          const err = thrown(() => parseAuthorizationCallback(query))
          expect(err.errorCode.length).toBeGreaterThan(0)
          expect(err.errorCode.length).toBeLessThanOrEqual(201)
          expect(err.message.length).toBeLessThanOrEqual(1001)
          // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
          const control = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
          expect(err.errorCode).not.toMatch(control)
          expect(err.message).not.toMatch(control)
        },
      ),
    )
  })

  it('property: any URL, query string or object input either parses or throws SfAuthError/TypeError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.webUrl({ withQueryParameters: true }),
          fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.array(fc.string()))),
        ),
        (input) => {
          try {
            const { code } = parseAuthorizationCallback(input)
            expect(typeof code).toBe('string')
            expect(code.length).toBeGreaterThan(0)
          } catch (err) {
            expect(err instanceof SfAuthError || err instanceof TypeError).toBe(true)
          }
        },
      ),
    )
  })
})
