// @vitest-environment edge-runtime
import { Connection } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { rejection, testFlow } from '@sfauth/test-kit'
import { describe, expect, it } from 'vitest'
import { OAuth2 } from '../src/index.js'
import { webServerFlow } from './flow.js'

// Not from helpers.ts: that one pulls msw and node:crypto, which have no place here.
const CLIENT_ID = DEFAULT_APP.clientId
const CLIENT_SECRET = DEFAULT_APP.clientSecret as string
const REDIRECT_URI = 'http://localhost:3000/oauth2/callback'
const USERNAME = DEFAULT_USER.username
const PASSWORD = DEFAULT_USER.password + DEFAULT_USER.securityToken

// vitest's edge-runtime environment (the WinterCG globals): Web Crypto for PKCE and the
// signature check, fetch for the grants. The runtime matrix (test/runtimes) covers the rest.
testFlow(webServerFlow)

describe('OAuth2 in an edge runtime', () => {
  it('runs PKCE with Web Crypto', async () => {
    const emu = createEmulator()
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
    expect(emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
    // The verifier is what binds the code: the same code with another verifier is refused.
    const other = await oauth2.createAuthorizationRequest({ scope: 'api refresh_token' })
    const again = emu.approve({
      clientId: CLIENT_ID,
      username: USERNAME,
      redirectUri: REDIRECT_URI,
      scope: q.get('scope') as string,
      codeChallenge: q.get('code_challenge') as string,
      codeChallengeMethod: 'S256',
    })
    await rejection(conn.authorize(again, { code_verifier: other.codeVerifier }), {
      errorCode: 'invalid_request',
      message: /invalid code verifier/,
    })
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
    await rejection(oauth2.authenticate(USERNAME, 'nope'), { errorCode: 'invalid_grant' })
  })
})
