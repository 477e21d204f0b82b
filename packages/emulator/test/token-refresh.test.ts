import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '../src/index.js'
import { appCredentials, CALLBACK, expectOAuthError, token } from './helpers.js'

type Tokens = Record<string, string>

async function login(emu: ReturnType<typeof createEmulator>, clientId = DEFAULT_APP.clientId) {
  const code = emu.approve({
    clientId,
    username: DEFAULT_USER.username,
    redirectUri: CALLBACK,
    scope: 'api refresh_token',
  })
  const res = await token(emu, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: CALLBACK,
    client_id: clientId,
    client_secret: DEFAULT_APP.clientSecret!,
  })
  return (await res.json()) as Tokens
}

const refresh = (emu: ReturnType<typeof createEmulator>, refreshToken: string, extra = {}) =>
  token(emu, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    ...appCredentials,
    ...extra,
  })

describe('refresh_token grant', () => {
  it('rotates: a new refresh token each time, same response shape otherwise', async () => {
    const emu = createEmulator({ apps: [{ ...DEFAULT_APP, rotateRefreshTokens: true }] })
    const first = await login(emu)
    const res = await refresh(emu, first.refresh_token!)
    expect(res.status).toBe(200)
    const second = (await res.json()) as Tokens
    expect(second.refresh_token).toMatch(/^5Aep861/)
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect(second.access_token).not.toBe(first.access_token)
    expect(second.scope).toBe('api refresh_token')
    expect(emu.isValidAccessToken(second.access_token!)).toBe(true)
    expect(emu.isValidAccessToken(first.access_token!)).toBe(true)
  })

  it('revokes the whole chain when a rotated token is replayed', async () => {
    const emu = createEmulator({ apps: [{ ...DEFAULT_APP, rotateRefreshTokens: true }] })
    const first = await login(emu)
    const second = (await (await refresh(emu, first.refresh_token!)).json()) as Tokens
    await expectOAuthError(
      await refresh(emu, first.refresh_token!),
      'invalid_grant',
      'expired access/refresh token',
    )
    expect(emu.isValidAccessToken(first.access_token!)).toBe(false)
    expect(emu.isValidAccessToken(second.access_token!)).toBe(false)
    await expectOAuthError(
      await refresh(emu, second.refresh_token!),
      'invalid_grant',
      'expired access/refresh token',
    )
  })

  it('keeps the refresh token by default, as Salesforce without rotation (no refresh_token in the response)', async () => {
    const emu = createEmulator()
    const first = await login(emu)
    for (let i = 0; i < 2; i++) {
      const res = await refresh(emu, first.refresh_token!)
      expect(res.status).toBe(200)
      const body = (await res.json()) as Tokens
      expect(body.refresh_token).toBeUndefined()
      expect(body.access_token).toBeDefined()
    }
  })

  it('outlives expireSessions()', async () => {
    const emu = createEmulator()
    const first = await login(emu)
    emu.expireSessions()
    expect(emu.isValidAccessToken(first.access_token!)).toBe(false)
    expect((await refresh(emu, first.refresh_token!)).status).toBe(200)
  })

  it('rejects unknown tokens and tokens of another client', async () => {
    const emu = createEmulator()
    await expectOAuthError(
      await refresh(emu, '5Aep861unknown'),
      'invalid_grant',
      'expired access/refresh token',
    )
    emu.addApp({ clientId: 'other', clientSecret: 'other-secret' })
    const first = await login(emu)
    await expectOAuthError(
      await refresh(emu, first.refresh_token!, {
        client_id: 'other',
        client_secret: 'other-secret',
      }),
      'invalid_grant',
      'expired access/refresh token',
    )
  })

  it('checks the client secret', async () => {
    const emu = createEmulator()
    const first = await login(emu)
    await expectOAuthError(
      await refresh(emu, first.refresh_token!, { client_secret: 'wrong' }),
      'invalid_client',
      'invalid client credentials',
    )
  })
})
