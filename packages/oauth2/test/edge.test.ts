// @vitest-environment edge-runtime
import { Connection, SfAuthError } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { describe, expect, it } from 'vitest'
import { OAuth2 } from '../src/index.js'

// Not from helpers.ts: that one pulls msw and node:crypto, which have no place here.
const CLIENT_ID = DEFAULT_APP.clientId
const CLIENT_SECRET = DEFAULT_APP.clientSecret as string
const REDIRECT_URI = 'http://localhost:3000/oauth2/callback'
const USERNAME = DEFAULT_USER.username
const PASSWORD = DEFAULT_USER.password + DEFAULT_USER.securityToken

// vitest's edge-runtime environment (the WinterCG globals): Web Crypto for PKCE and the
// signature check, fetch for the grants. The runtime matrix (test/runtimes) covers the rest.
describe('OAuth2 in an edge runtime', () => {
  it('runs PKCE, the code exchange, a rotating refresh and revocation', async () => {
    const emu = createEmulator({ apps: [{ ...DEFAULT_APP, rotateRefreshTokens: true }] })
    const oauth2 = new OAuth2({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
    })
    const request = await oauth2.createAuthorizationRequest({ scope: 'api refresh_token' })
    const q = new URL(request.url).searchParams
    const code = emu.approve({
      clientId: CLIENT_ID,
      username: USERNAME,
      redirectUri: REDIRECT_URI,
      scope: q.get('scope') as string,
      codeChallenge: q.get('code_challenge') as string,
      codeChallengeMethod: 'S256',
    })
    const conn = new Connection({ oauth2, fetch: emu.fetch })
    await conn.authorize(code, { code_verifier: request.codeVerifier })
    const first = conn.refreshToken
    let rotated: unknown
    conn.on('refresh', (_token, res) => {
      rotated = (res as { refresh_token?: string }).refresh_token
    })
    emu.expireSessions()
    await conn.request('/services/data')
    expect(rotated).toEqual(conn.refreshToken)
    expect(conn.refreshToken).not.toBe(first)
    await conn.logout()
    expect(emu.count('revoke')).toBe(1)
  })

  it('checks the signature with Web Crypto and reports Salesforce errors', async () => {
    const emu = createEmulator()
    const oauth2 = new OAuth2({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      fetch: emu.fetch,
    })
    const res = await oauth2.authenticate(USERNAME, PASSWORD)
    expect(res.signature).toEqual(expect.any(String))
    const err = await oauth2.authenticate(USERNAME, 'nope').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect((err as SfAuthError).errorCode).toBe('invalid_grant')
  })
})
