import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_APP, DEFAULT_USER, type Emulator } from '../src/index.js'
import {
  appCredentials,
  CALLBACK,
  expectOAuthError,
  LOGIN,
  MY_DOMAIN,
  passwordLogin,
  soap,
  soapLoginBody,
  token,
} from './helpers.js'

type Tokens = Record<string, string>

async function codeLogin(emu: Emulator, origin = LOGIN, scope = 'api refresh_token') {
  const code = emu.approve({
    clientId: DEFAULT_APP.clientId,
    username: DEFAULT_USER.username,
    redirectUri: CALLBACK,
    scope,
  })
  const res = await token(
    emu,
    { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...appCredentials },
    origin,
  )
  expect(res.status).toBe(200)
  return (await res.json()) as Tokens
}

const refresh = (emu: Emulator, refreshToken: string) =>
  token(emu, { grant_type: 'refresh_token', refresh_token: refreshToken, ...appCredentials })

const rotatingApp = { ...DEFAULT_APP, rotateRefreshTokens: true }

describe('concurrent refresh of one refresh token', () => {
  it('refuses the second while the first is in flight, without revoking the chain', async () => {
    const emu = createEmulator({ apps: [rotatingApp] })
    const first = await codeLogin(emu)
    emu.setDelay(30)
    const [a, b] = await Promise.all([
      refresh(emu, first.refresh_token!),
      refresh(emu, first.refresh_token!),
    ])
    emu.setDelay(0)
    expect(a.status).toBe(200)
    await expectOAuthError(b, 'invalid_grant', 'token request is already being processed')
    const rotated = (await a.json()) as Tokens
    expect(emu.isValidAccessToken(rotated.access_token!)).toBe(true)
    expect((await refresh(emu, rotated.refresh_token!)).status).toBe(200)
  })

  it('still treats a replay after the first completed as theft: the chain is revoked', async () => {
    const emu = createEmulator({ apps: [rotatingApp] })
    const first = await codeLogin(emu)
    const rotated = (await (await refresh(emu, first.refresh_token!)).json()) as Tokens
    await expectOAuthError(
      await refresh(emu, first.refresh_token!),
      'invalid_grant',
      'expired access/refresh token',
    )
    expect(emu.isValidAccessToken(rotated.access_token!)).toBe(false)
    expect((await refresh(emu, rotated.refresh_token!)).status).toBe(400)
  })

  it('lets the same token refresh again once the first request is answered', async () => {
    const emu = createEmulator({ apps: [{ ...DEFAULT_APP, rotateRefreshTokens: false }] })
    const first = await codeLogin(emu)
    expect((await refresh(emu, first.refresh_token!)).status).toBe(200)
    expect((await refresh(emu, first.refresh_token!)).status).toBe(200)
  })
})

describe('approvals: refresh tokens per app and user', () => {
  it('revokes the oldest refresh token and its sessions at the sixth', async () => {
    const emu = createEmulator()
    const logins: Tokens[] = []
    for (let i = 0; i < 6; i++) logins.push(await codeLogin(emu))
    const [oldest, ...rest] = logins
    expect(emu.isValidAccessToken(oldest!.access_token!)).toBe(false)
    await expectOAuthError(
      await refresh(emu, oldest!.refresh_token!),
      'invalid_grant',
      'expired access/refresh token',
    )
    for (const login of rest) expect((await refresh(emu, login.refresh_token!)).status).toBe(200)
  })

  it('counts per app, and is configurable', async () => {
    const other = { ...DEFAULT_APP, clientId: 'other-app' }
    const emu = createEmulator({ apps: [DEFAULT_APP, other], maxApprovalsPerApp: 2 })
    const a = await codeLogin(emu)
    await codeLogin(emu)
    expect((await refresh(emu, a.refresh_token!)).status).toBe(200)
    await codeLogin(emu)
    expect((await refresh(emu, a.refresh_token!)).status).toBe(400)
    const off = createEmulator({ maxApprovalsPerApp: Number.POSITIVE_INFINITY })
    const kept = await codeLogin(off)
    for (let i = 0; i < 6; i++) await codeLogin(off)
    expect((await refresh(off, kept.refresh_token!)).status).toBe(200)
  })
})

describe('login rate per user per hour', () => {
  it('answers LOGIN_RATE_EXCEEDED past the limit, over OAuth and SOAP, until the hour passes', async () => {
    let now = 1_750_000_000_000
    const emu = createEmulator({ loginsPerHour: 2, now: () => now })
    expect((await passwordLogin(emu)).status).toBe(200)
    expect((await passwordLogin(emu)).status).toBe(200)
    await expectOAuthError(
      await passwordLogin(emu),
      'rate_limit_exceeded',
      'LOGIN_RATE_EXCEEDED: login rate exceeded',
    )
    const apiPassword = DEFAULT_USER.password + DEFAULT_USER.securityToken
    const res = await soap(
      emu,
      `${LOGIN}/services/Soap/u/64.0`,
      soapLoginBody(DEFAULT_USER.username, apiPassword),
    )
    expect(res.status).toBe(500)
    expect(await res.text()).toContain('<sf:exceptionCode>LOGIN_RATE_EXCEEDED</sf:exceptionCode>')
    now += 60 * 60 * 1000 + 1
    expect((await passwordLogin(emu)).status).toBe(200)
  })

  it('defaults to 3,600 logins', async () => {
    const emu = createEmulator()
    for (let i = 0; i < 3600; i++) {
      const res = await passwordLogin(emu)
      if (res.status !== 200) throw new Error(`login ${i + 1} failed with ${res.status}`)
    }
    expect((await passwordLogin(emu)).status).toBe(400)
  }, 60_000)
})

describe('API versions on SOAP login', () => {
  it('faults UNSUPPORTED_API_VERSION for a retired version', async () => {
    const apiPassword = DEFAULT_USER.password + DEFAULT_USER.securityToken
    const res = await soap(
      createEmulator(),
      `${LOGIN}/services/Soap/u/30.0`,
      soapLoginBody(DEFAULT_USER.username, apiPassword),
    )
    expect(res.status).toBe(500)
    const xml = await res.text()
    expect(xml).toContain('<faultcode>sf:UNSUPPORTED_API_VERSION</faultcode>')
    expect(
      (
        await soap(
          createEmulator(),
          `${LOGIN}/services/Soap/u/31.0`,
          soapLoginBody(DEFAULT_USER.username, apiPassword),
        )
      ).status,
    ).toBe(200)
  })
})

describe('OpenID Connect on a My Domain', () => {
  it('issues an id_token whose iss is the My Domain, verifiable with that host’s /id/keys', async () => {
    const emu = createEmulator()
    const tokens = await codeLogin(emu, MY_DOMAIN, 'openid api')
    const keys = (await (await emu.fetch(`${MY_DOMAIN}/id/keys`)).json()) as JSONWebKeySet
    const { payload } = await jwtVerify(tokens.id_token!, createLocalJWKSet(keys), {
      issuer: MY_DOMAIN,
      audience: DEFAULT_APP.clientId,
    })
    expect(payload.sub).toBe(tokens.id)
  })

  it('lists in discovery only endpoints and grants it serves', async () => {
    const emu = createEmulator()
    const config = (await (
      await emu.fetch(`${MY_DOMAIN}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>
    for (const key of Object.keys(config).filter(
      (k) => k.endsWith('_endpoint') || k === 'jwks_uri',
    )) {
      await emu.fetch(String(config[key]), { method: 'POST' })
    }
    expect(emu.count('not-found')).toBe(0)
    for (const grant of config.grant_types_supported as string[]) {
      const body = (await (await token(emu, { grant_type: grant }, MY_DOMAIN)).json()) as Tokens
      expect(body.error, grant).not.toBe('unsupported_grant_type')
    }
  })
})
