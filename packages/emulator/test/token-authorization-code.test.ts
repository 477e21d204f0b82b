import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '../src/index.js'
import {
  appCredentials,
  CALLBACK,
  expectOAuthError,
  hmacSignature,
  LOGIN,
  token,
} from './helpers.js'

const approveDefault = (
  emu: ReturnType<typeof createEmulator>,
  extra: Partial<Parameters<ReturnType<typeof createEmulator>['approve']>[0]> = {},
) =>
  emu.approve({
    clientId: DEFAULT_APP.clientId,
    username: DEFAULT_USER.username,
    redirectUri: CALLBACK,
    ...extra,
  })

const exchange = (emu: ReturnType<typeof createEmulator>, code: string, extra = {}) =>
  token(emu, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: CALLBACK,
    ...appCredentials,
    ...extra,
  })

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(96).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

describe('authorization_code grant', () => {
  it('exchanges a code for tokens, with a refresh token when the scope asks for one', async () => {
    const emu = createEmulator()
    const code = approveDefault(emu, { scope: 'refresh_token api web' })
    const res = await exchange(emu, code)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as Record<string, string>
    expect(body.refresh_token).toMatch(/^5Aep861\w+$/)
    expect(body.scope).toBe('refresh_token api web')
    expect(body.expires_in).toBeUndefined()
    expect(body.signature).toBe(
      await hmacSignature(DEFAULT_APP.clientSecret!, body.id! + body.issued_at),
    )
  })

  it('grants the app scopes (refresh_token included) when the request named none', async () => {
    const emu = createEmulator()
    const body = (await (await exchange(emu, approveDefault(emu))).json()) as Record<string, string>
    expect(body.scope).toBe('api web refresh_token')
    expect(body.refresh_token).toBeDefined()
  })

  it('issues no refresh token without refresh_token or offline_access scope', async () => {
    const emu = createEmulator()
    const body = (await (
      await exchange(emu, approveDefault(emu, { scope: 'api' }))
    ).json()) as Record<string, string>
    expect(body.refresh_token).toBeUndefined()
    const offline = approveDefault(emu, { scope: 'api offline_access' })
    const body2 = (await (await exchange(emu, offline)).json()) as Record<string, string>
    expect(body2.refresh_token).toBeDefined()
  })

  it('is single use', async () => {
    const emu = createEmulator()
    const code = approveDefault(emu)
    expect((await exchange(emu, code)).status).toBe(200)
    await expectOAuthError(await exchange(emu, code), 'invalid_grant', 'invalid authorization code')
  })

  it('expires after 15 minutes', async () => {
    let now = 1_700_000_000_000
    const emu = createEmulator({ now: () => now })
    const code = approveDefault(emu)
    now += 15 * 60 * 1000 + 1
    await expectOAuthError(await exchange(emu, code), 'invalid_grant', 'expired authorization code')
  })

  it('is bound to the redirect URI and the client', async () => {
    const emu = createEmulator()
    emu.addApp({ clientId: 'other', clientSecret: 'other-secret', redirectUris: [CALLBACK] })
    await expectOAuthError(
      await exchange(emu, approveDefault(emu), {
        redirect_uri: 'http://127.0.0.1:3000/oauth2/callback',
      }),
      'redirect_uri_mismatch',
      'redirect_uri must match configuration',
    )
    await expectOAuthError(
      await exchange(emu, approveDefault(emu), {
        client_id: 'other',
        client_secret: 'other-secret',
      }),
      'invalid_grant',
      'invalid authorization code',
    )
  })

  it('needs the client secret unless the app turns that off', async () => {
    const emu = createEmulator()
    await expectOAuthError(
      await token(emu, {
        grant_type: 'authorization_code',
        code: approveDefault(emu),
        redirect_uri: CALLBACK,
        client_id: DEFAULT_APP.clientId,
      }),
      'invalid_client',
      'invalid client credentials',
    )
    emu.addApp({ ...DEFAULT_APP, clientId: 'public', requireSecret: false })
    const code = emu.approve({
      clientId: 'public',
      username: DEFAULT_USER.username,
      redirectUri: CALLBACK,
    })
    const res = await token(emu, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      client_id: 'public',
    })
    expect(res.status).toBe(200)
  })

  it('rejects an unknown code', async () => {
    await expectOAuthError(
      await exchange(createEmulator(), 'aPrxnope'),
      'invalid_grant',
      'invalid authorization code',
    )
  })
})

describe('PKCE', () => {
  it('accepts the right S256 verifier (S256 is the default method)', async () => {
    const emu = createEmulator()
    const { verifier, challenge } = pkcePair()
    const code = approveDefault(emu, { codeChallenge: challenge })
    expect((await exchange(emu, code, { code_verifier: verifier })).status).toBe(200)
  })

  it('accepts plain', async () => {
    const emu = createEmulator()
    const code = approveDefault(emu, { codeChallenge: 'abc', codeChallengeMethod: 'plain' })
    expect((await exchange(emu, code, { code_verifier: 'abc' })).status).toBe(200)
  })

  it('rejects a missing verifier with invalid_grant', async () => {
    const emu = createEmulator()
    const code = approveDefault(emu, { codeChallenge: pkcePair().challenge })
    await expectOAuthError(await exchange(emu, code), 'invalid_grant', 'invalid code verifier')
  })

  it('rejects a wrong verifier with invalid_request', async () => {
    const emu = createEmulator()
    const code = approveDefault(emu, { codeChallenge: pkcePair().challenge })
    await expectOAuthError(
      await exchange(emu, code, { code_verifier: pkcePair().verifier }),
      'invalid_request',
      'invalid code verifier',
    )
  })

  it('ignores a stray verifier when the code had no challenge', async () => {
    const emu = createEmulator()
    const res = await exchange(emu, approveDefault(emu), { code_verifier: pkcePair().verifier })
    expect(res.status).toBe(200)
  })
})

describe('approve()', () => {
  it('refuses unknown clients, users and unregistered redirect URIs', () => {
    const emu = createEmulator()
    expect(() => approveDefault(emu, { clientId: 'nope' })).toThrow(TypeError)
    expect(() => approveDefault(emu, { username: 'nobody@example.com' })).toThrow(TypeError)
    expect(() => approveDefault(emu, { redirectUri: 'https://evil.example/cb' })).toThrow(TypeError)
    expect(() => approveDefault(emu, { codeChallenge: 'x', codeChallengeMethod: 'S512' })).toThrow(
      TypeError,
    )
  })

  it('records the login host the code was redeemed at in id', async () => {
    const emu = createEmulator()
    const body = (await (await exchange(emu, approveDefault(emu))).json()) as { id: string }
    expect(body.id.startsWith(`${LOGIN}/id/`)).toBe(true)
  })
})
