import { Connection, SfAuthError } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it } from 'vitest'
import { approveUrl, newOAuth2, ORG_ID, REDIRECT_URI, s256, USER_ID } from './helpers.js'

const ctx = useMswEmulator()
const UNRESERVED = /^[A-Za-z0-9\-._~]+$/

describe('createAuthorizationRequest', () => {
  it('makes an RFC 7636 verifier and its S256 challenge', async () => {
    const { url, codeVerifier } = await newOAuth2().createAuthorizationRequest()
    expect(codeVerifier.length).toBeGreaterThanOrEqual(43)
    expect(codeVerifier.length).toBeLessThanOrEqual(128)
    expect(codeVerifier).toMatch(UNRESERVED)
    const q = new URL(url).searchParams
    expect(q.get('code_challenge')).toBe(s256(codeVerifier))
    expect(q.get('code_challenge_method')).toBe('S256')
  })

  it('makes a fresh verifier and state every time, and puts the state in the URL', async () => {
    const oauth2 = newOAuth2()
    const requests = await Promise.all(
      Array.from({ length: 20 }, () => oauth2.createAuthorizationRequest()),
    )
    expect(new Set(requests.map((r) => r.codeVerifier)).size).toBe(20)
    expect(new Set(requests.map((r) => r.state)).size).toBe(20)
    for (const r of requests) {
      expect(r.state.length).toBeGreaterThanOrEqual(22)
      expect(r.state).toMatch(UNRESERVED)
      expect(new URL(r.url).searchParams.get('state')).toBe(r.state)
    }
  })

  it('keeps nothing on the instance: two users finish in either order', async () => {
    const oauth2 = newOAuth2()
    const alice = await oauth2.createAuthorizationRequest()
    const bob = await oauth2.createAuthorizationRequest()
    const bobCode = approveUrl(ctx.emu, bob.url)
    const aliceCode = approveUrl(ctx.emu, alice.url)
    await new Connection({ oauth2 }).authorize(bobCode, { code_verifier: bob.codeVerifier })
    await new Connection({ oauth2 }).authorize(aliceCode, { code_verifier: alice.codeVerifier })
  })

  it('carries the other parameters and a state of the caller', async () => {
    const { url, state } = await newOAuth2().createAuthorizationRequest({
      scope: 'api refresh_token',
      prompt: 'login',
      state: 'my-own-state',
    })
    const q = new URL(url).searchParams
    expect(state).toBe('my-own-state')
    expect(q.get('state')).toBe('my-own-state')
    expect(q.get('scope')).toBe('api refresh_token')
    expect(q.get('prompt')).toBe('login')
    expect(q.get('redirect_uri')).toBe(REDIRECT_URI)
  })

  it('refuses a challenge of the caller', async () => {
    await expect(
      newOAuth2().createAuthorizationRequest({ code_challenge: 'x' } as never),
    ).rejects.toThrow(TypeError)
  })
})

describe('the PKCE code exchange', () => {
  it('is accepted with the right verifier', async () => {
    const oauth2 = newOAuth2()
    const { url, codeVerifier } = await oauth2.createAuthorizationRequest({
      scope: 'api refresh_token',
    })
    const conn = new Connection({ oauth2 })
    const userInfo = await conn.authorize(approveUrl(ctx.emu, url), { code_verifier: codeVerifier })
    expect(userInfo).toMatchObject({ id: USER_ID, organizationId: ORG_ID })
    expect(ctx.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
  })

  it('is rejected with a wrong verifier: invalid_request', async () => {
    const oauth2 = newOAuth2()
    const { url } = await oauth2.createAuthorizationRequest()
    const other = await oauth2.createAuthorizationRequest()
    const err = await new Connection({ oauth2 })
      .authorize(approveUrl(ctx.emu, url), { code_verifier: other.codeVerifier })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'invalid_request', status: 400 })
    expect((err as Error).message).toBe('invalid code verifier')
    expect((err as Error).message).not.toContain(other.codeVerifier)
  })

  it('is rejected without the verifier: invalid_grant', async () => {
    const oauth2 = newOAuth2()
    const { url } = await oauth2.createAuthorizationRequest()
    await expect(oauth2.requestToken(approveUrl(ctx.emu, url))).rejects.toMatchObject({
      errorCode: 'invalid_grant',
      status: 400,
    })
  })
})
