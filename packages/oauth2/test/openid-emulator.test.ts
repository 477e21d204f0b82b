import { describe, expect, it } from 'vitest'
import { verifyIdToken } from '../src/openid/index.js'
import { CLIENT_ID, newOAuth2, USERNAME, useEmulator } from './helpers.js'

const ctx = useEmulator()

/** The consent page's Allow for the library's authorize URL, nonce included. */
function approve(url: string): string {
  const q = new URL(url).searchParams
  return ctx.emu.approve({
    clientId: q.get('client_id') ?? '',
    username: USERNAME,
    redirectUri: q.get('redirect_uri') ?? '',
    scope: q.get('scope') ?? '',
    state: q.get('state') ?? '',
    codeChallenge: q.get('code_challenge') ?? '',
    codeChallengeMethod: q.get('code_challenge_method') ?? '',
    nonce: q.get('nonce') ?? '',
  })
}

describe('createAuthorizationRequest() nonce', () => {
  it('adds a random nonce when the scope has openid, and none otherwise', async () => {
    const oauth2 = newOAuth2()
    const first = await oauth2.createAuthorizationRequest({ scope: 'openid api' })
    const second = await oauth2.createAuthorizationRequest({ scope: 'openid api' })
    expect(first.nonce).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(second.nonce).not.toBe(first.nonce)
    expect(new URL(first.url).searchParams.get('nonce')).toBe(first.nonce)

    const plain = await oauth2.createAuthorizationRequest({ scope: 'api openidish' })
    expect(plain).not.toHaveProperty('nonce')
    expect(new URL(plain.url).searchParams.has('nonce')).toBe(false)

    const own = await oauth2.createAuthorizationRequest({ scope: 'openid', nonce: 'mine' })
    expect(own.nonce).toBe('mine')
    expect(new URL(own.url).searchParams.get('nonce')).toBe('mine')
  })
})

describe('verifyIdToken() against the emulator', () => {
  it("verifies the emulator's id_token with the nonce of the authorization request", async () => {
    const oauth2 = newOAuth2()
    const request = await oauth2.createAuthorizationRequest({ scope: 'openid api refresh_token' })
    const tokens = await oauth2.requestToken(approve(request.url), {
      code_verifier: request.codeVerifier,
    })
    expect(tokens.id_token).toEqual(expect.any(String))
    const claims = await verifyIdToken(tokens.id_token as string, {
      clientId: CLIENT_ID,
      nonce: request.nonce as string,
    })
    expect(claims).toMatchObject({ aud: CLIENT_ID, nonce: request.nonce, sub: tokens.id })
    expect(new URL(claims.iss).protocol).toBe('https:')

    await expect(
      verifyIdToken(tokens.id_token as string, { clientId: CLIENT_ID, nonce: 'other' }),
    ).rejects.toMatchObject({ errorCode: 'ERR_ID_TOKEN_INVALID' })
  })
})
