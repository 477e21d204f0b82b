import { describe, expect, it } from 'vitest'
import { SfAuthError, scrub, secureUrl, sessionFromToken } from '../src/flow.js'
import { parseIdUrl } from '../src/token-session.js'
import type { TokenResponse } from '../src/types.js'

const ID = 'https://login.salesforce.com/id/00Dxx0000001gPL/005xx000001Sv6A'

describe('parseIdUrl', () => {
  it('reads the org and user IDs from an identity URL, path prefix or not', () => {
    expect(parseIdUrl(ID)).toEqual({
      id: '005xx000001Sv6A',
      organizationId: '00Dxx0000001gPL',
      url: ID,
    })
    const site = 'https://acme.my.site.com/partners/id/00D1/0051'
    expect(parseIdUrl(site)).toEqual({ id: '0051', organizationId: '00D1', url: site })
  })
  it('is undefined for what is not an identity URL', () => {
    expect(parseIdUrl('not a url')).toBeUndefined()
    expect(parseIdUrl('https://login.salesforce.com/services/oauth2/token')).toBeUndefined()
    expect(parseIdUrl('https://login.salesforce.com/id/00D1')).toBeUndefined()
  })
})

describe('sessionFromToken', () => {
  const res: TokenResponse = {
    access_token: '00D!new',
    instance_url: 'https://acme.my.salesforce.com/',
    id: ID,
    token_type: 'Bearer',
    issued_at: '1700000000000',
    signature: 's',
  }
  it('makes an oauth2 session: instance origin, user info, issuedAt as a number', () => {
    expect(sessionFromToken(res)).toEqual({
      accessToken: '00D!new',
      instanceUrl: 'https://acme.my.salesforce.com',
      kind: 'oauth2',
      userInfo: { id: '005xx000001Sv6A', organizationId: '00Dxx0000001gPL', url: ID },
      issuedAt: 1700000000000,
    })
  })
  it('keeps the previous refresh token unless a rotated one came back', () => {
    const previous = {
      accessToken: 'old',
      instanceUrl: 'https://x',
      kind: 'oauth2' as const,
      refreshToken: 'r1',
    }
    expect(sessionFromToken(res, previous).refreshToken).toBe('r1')
    expect(sessionFromToken({ ...res, refresh_token: 'r2' }, previous).refreshToken).toBe('r2')
  })
  it('leaves out an issued_at that is not a number, and refuses a non-loopback http instance', () => {
    expect(sessionFromToken({ ...res, issued_at: 'soon' }).issuedAt).toBeUndefined()
    expect(() => sessionFromToken({ ...res, instance_url: 'http://acme.example' })).toThrow(
      SfAuthError,
    )
  })
})

describe('secureUrl', () => {
  it('takes https anywhere and http only on loopback', () => {
    expect(secureUrl('https://acme.my.salesforce.com/x', 'u').origin).toBe(
      'https://acme.my.salesforce.com',
    )
    for (const local of [
      'http://localhost:1',
      'http://127.0.0.1:2',
      'http://[::1]:3',
      'http://a.localhost',
    ]) {
      expect(secureUrl(local, 'u').protocol).toBe('http:')
    }
  })
  it('refuses http elsewhere and other schemes with ERR_INSECURE_URL, and a relative URL with TypeError', () => {
    for (const bad of [
      'http://acme.my.salesforce.com',
      'http://128.0.0.1',
      'ftp://x.example',
      'http://localhost.evil.example',
    ]) {
      let err: unknown
      try {
        secureUrl(bad, 'loginUrl')
      } catch (e) {
        err = e
      }
      expect((err as SfAuthError).errorCode, bad).toBe('ERR_INSECURE_URL')
    }
    expect(() => secureUrl('/services', 'loginUrl')).toThrow(/loginUrl must be an absolute URL/)
  })
})

describe('scrub', () => {
  it('replaces every occurrence of each secret', () => {
    expect(scrub('a pass1234 b pass1234 c tok-xyz', ['pass1234', 'tok-xyz'])).toBe(
      'a [redacted] b [redacted] c [redacted]',
    )
  })
  it('skips undefined and secrets shorter than 4 characters (they would shred the text)', () => {
    expect(scrub('a b abc', [undefined, 'a', 'abc'])).toBe('a b abc')
    expect(scrub('text', undefined)).toBe('text')
  })
})
