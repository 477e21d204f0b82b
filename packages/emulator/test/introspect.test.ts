import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '../src/index.js'
import {
  accessToken,
  appCredentials,
  CALLBACK,
  expectOAuthError,
  LOGIN,
  postForm,
  token,
} from './helpers.js'

const introspect = (emu: ReturnType<typeof createEmulator>, fields: Record<string, string>) =>
  postForm(emu, `${LOGIN}/services/oauth2/introspect`, { ...appCredentials, ...fields })

describe('introspect', () => {
  it('describes a live access token', async () => {
    const emu = createEmulator({ now: () => 1_700_000_000_000 })
    const access = await accessToken(emu)
    const res = await introspect(emu, { token: access, token_type_hint: 'access_token' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await res.json()).toEqual({
      active: true,
      scope: 'api web',
      client_id: DEFAULT_APP.clientId,
      username: DEFAULT_USER.username,
      sub: `${LOGIN}/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`,
      token_type: 'access_token',
      exp: 1_700_000_000 + 7200,
      iat: 1_700_000_000,
      nbf: 1_700_000_000,
    })
  })

  it('describes a current refresh token, and not a rotated one', async () => {
    const emu = createEmulator({ apps: [{ ...DEFAULT_APP, rotateRefreshTokens: true }] })
    const code = emu.approve({
      clientId: DEFAULT_APP.clientId,
      username: DEFAULT_USER.username,
      redirectUri: CALLBACK,
    })
    const first = (await (
      await token(emu, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        ...appCredentials,
      })
    ).json()) as Record<string, string>
    const live = await introspect(emu, { token: first.refresh_token! })
    expect(await live.json()).toMatchObject({ active: true, token_type: 'refresh_token' })
    await token(emu, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
      ...appCredentials,
    })
    expect(await (await introspect(emu, { token: first.refresh_token! })).json()).toEqual({
      active: false,
    })
  })

  it('answers active false for dead or unknown tokens', async () => {
    const emu = createEmulator()
    const access = await accessToken(emu)
    emu.expireSessions()
    expect(await (await introspect(emu, { token: access })).json()).toEqual({ active: false })
    expect(await (await introspect(emu, { token: 'nope' })).json()).toEqual({ active: false })
  })

  it('needs the client secret', async () => {
    const emu = createEmulator()
    await expectOAuthError(
      await introspect(emu, { token: await accessToken(emu), client_secret: 'wrong' }),
      'invalid_client',
      'invalid client credentials',
    )
  })

  it('is counted', async () => {
    const emu = createEmulator()
    await introspect(emu, { token: 'x' })
    expect(emu.count('introspect')).toBe(1)
  })
})
