import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base64url } from '../src/base64url.js'
import { OAuth2, parseAuthorizationCallback } from '../src/index.js'
import { codeChallengeS256, createCodeVerifier } from '../src/pkce.js'

describe('PKCE and base64url, properties', () => {
  it('base64url matches Node’s encoder for any bytes, without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'))
      }),
    )
  })

  it('the S256 challenge of any verifier is base64url(SHA-256(verifier))', async () => {
    const unreserved = fc.string({
      unit: fc.constantFrom(
        ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~',
      ),
      minLength: 43,
      maxLength: 128,
    })
    await fc.assert(
      fc.asyncProperty(unreserved, async (verifier) => {
        expect(await codeChallengeS256(verifier)).toBe(
          createHash('sha256').update(verifier).digest('base64url'),
        )
      }),
      { numRuns: 200 },
    )
  })

  it('every verifier is 86 unreserved characters (RFC 7636 section 4.1) and differs from the last', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const verifier = createCodeVerifier()
      expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{86}$/)
      expect(seen.has(verifier)).toBe(false)
      seen.add(verifier)
    }
  })
})

describe('authorization URL and callback, properties', () => {
  it('any state and scope reach the authorize URL unchanged, and a callback with them parses back', () => {
    const oauth2 = new OAuth2({
      clientId: '3MVG9-client',
      redirectUri: 'https://app.example.com/callback',
      loginUrl: 'https://login.salesforce.com',
    })
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string(),
        fc.string({ minLength: 1 }),
        (state, scope, code) => {
          const url = new URL(oauth2.getAuthorizationUrl({ state, scope }))
          expect(url.origin).toBe('https://login.salesforce.com')
          expect(url.searchParams.get('state')).toBe(state)
          expect(url.searchParams.get('scope')).toBe(scope)
          const callback = `https://app.example.com/callback?${new URLSearchParams({ code, state })}`
          expect(parseAuthorizationCallback(callback, { state })).toEqual({ code, state })
        },
      ),
    )
  })
})
