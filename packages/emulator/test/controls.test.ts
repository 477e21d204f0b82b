import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '../src/index.js'
import {
  accessToken,
  appCredentials,
  LOGIN,
  MY_DOMAIN,
  passwordLogin,
  soap,
  soapLoginBody,
  token,
} from './helpers.js'

describe('defaults', () => {
  it('exports a default user and app with stable 18-character ids', () => {
    expect(DEFAULT_USER.userId).toMatch(/^005\w{15}$/)
    expect(DEFAULT_USER.orgId).toMatch(/^00D\w{15}$/)
    expect(DEFAULT_APP.clientId.startsWith('3MVG9sfauthDemo')).toBe(true)
    expect(DEFAULT_APP.redirectUris).toEqual(
      expect.arrayContaining([
        'http://127.0.0.1:3000/oauth2/callback',
        'http://localhost:3000/oauth2/callback',
      ]),
    )
    expect(DEFAULT_APP.clientCredentialsUser).toBe(DEFAULT_USER.username)
    expect(DEFAULT_APP.preApprovedUsers).toBe('all')
  })

  it('generates case-safe 18-character ids for users that have none, in one org', async () => {
    const emu = createEmulator({
      users: [
        { username: 'a@example.com', password: 'a' },
        { username: 'b@example.com', password: 'b' },
      ],
    })
    const ids = []
    for (const username of ['a@example.com', 'b@example.com']) {
      const res = await token(emu, {
        grant_type: 'password',
        ...appCredentials,
        username,
        password: username[0]!,
      })
      ids.push(((await res.json()) as { id: string }).id.split('/').slice(-2))
    }
    const [[orgA, userA], [orgB, userB]] = ids as [[string, string], [string, string]]
    expect(orgA).toBe(orgB)
    expect(userA).not.toBe(userB)
    for (const id of [orgA, userA]) {
      expect(id).toMatch(/^\w{18}$/)
      const suffix = [0, 1, 2]
        .map((chunk) => {
          let bits = 0
          for (let i = 0; i < 5; i++) if (/[A-Z]/.test(id[chunk * 5 + i]!)) bits |= 1 << i
          return 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'[bits]
        })
        .join('')
      expect(id.slice(15)).toBe(suffix)
    }
  })

  it('does not let one emulator change another (the defaults are copied)', async () => {
    const a = createEmulator()
    a.addApp({ ...DEFAULT_APP, allowPasswordGrant: false })
    expect((await passwordLogin(a)).status).toBe(400)
    expect((await passwordLogin(createEmulator())).status).toBe(200)
  })
})

describe('controls', () => {
  it('counts calls per endpoint and grant type, and records them', async () => {
    let now = 1000
    const emu = createEmulator({ now: () => now })
    await passwordLogin(emu)
    now = 2000
    await token(emu, { grant_type: 'client_credentials', ...appCredentials }, MY_DOMAIN)
    await emu.fetch(`${LOGIN}/services/oauth2/userinfo`)
    await emu.fetch(`${LOGIN}/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`)
    await emu.fetch(`${LOGIN}/services/oauth2/revoke?token=x`)
    await emu.fetch(`${MY_DOMAIN}/services/data/v64.0`)
    await soap(emu, `${LOGIN}/services/Soap/u/64.0`, soapLoginBody('x', 'y'))
    await emu.fetch(`${LOGIN}/services/oauth2/authorize`)
    expect(emu.count('token')).toBe(2)
    expect(emu.count('token', 'password')).toBe(1)
    expect(emu.count('token', 'client_credentials')).toBe(1)
    expect(emu.count('token', 'refresh_token')).toBe(0)
    for (const endpoint of [
      'userinfo',
      'identity',
      'revoke',
      'data',
      'soap-login',
      'authorize',
    ] as const) {
      expect(emu.count(endpoint)).toBe(1)
    }
    expect(emu.calls[0]).toEqual({
      endpoint: 'token',
      grantType: 'password',
      method: 'POST',
      url: `${LOGIN}/services/oauth2/token`,
      time: 1000,
    })
    expect(emu.calls[1]?.time).toBe(2000)
    emu.resetCalls()
    expect(emu.calls).toHaveLength(0)
    expect(emu.count('token')).toBe(0)
  })

  it('expireSession kills one token, expireSessions all of them', async () => {
    const emu = createEmulator()
    const [a, b, c] = [await accessToken(emu), await accessToken(emu), await accessToken(emu)]
    emu.expireSession(a)
    expect(emu.isValidAccessToken(a)).toBe(false)
    expect(emu.isValidAccessToken(b)).toBe(true)
    emu.expireSessions()
    expect(emu.isValidAccessToken(b)).toBe(false)
    expect(emu.isValidAccessToken(c)).toBe(false)
    expect(emu.isValidAccessToken('anything')).toBe(false)
  })

  it('delays responses by delayMs and setDelay', async () => {
    const emu = createEmulator({ delayMs: 250 })
    let start = performance.now()
    await emu.fetch(`${LOGIN}/services/data`)
    expect(performance.now() - start).toBeGreaterThanOrEqual(240)
    emu.setDelay(0)
    start = performance.now()
    await emu.fetch(`${LOGIN}/services/data`)
    expect(performance.now() - start).toBeLessThan(200)
  })

  it('counts a call when it arrives, before the delay', async () => {
    const emu = createEmulator({ delayMs: 50 })
    const pending = emu.fetch(`${LOGIN}/services/data`)
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(emu.count('data')).toBe(1)
    await pending
  })

  it('addUser and addApp take effect at once', async () => {
    const emu = createEmulator()
    emu.addUser({ username: 'new@example.com', password: 'pw' })
    emu.addApp({ clientId: 'new-app', clientSecret: 'new-secret' })
    const res = await token(emu, {
      grant_type: 'password',
      client_id: 'new-app',
      client_secret: 'new-secret',
      username: 'NEW@example.com',
      password: 'pw',
    })
    expect(res.status).toBe(200)
  })

  it('refuses users and apps without the required fields', () => {
    const emu = createEmulator()
    expect(() => emu.addUser({ username: '', password: 'x' })).toThrow(TypeError)
    expect(() => emu.addApp({ clientId: '' })).toThrow(TypeError)
  })

  it('answers unknown paths with a 404 HTML page, counted as not-found', async () => {
    const emu = createEmulator()
    const res = await emu.fetch(`${LOGIN}/nothing/here`)
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(emu.count('not-found')).toBe(1)
  })
})

describe('CORS', () => {
  it('answers preflights and echoes the origin when enabled', async () => {
    const emu = createEmulator({ cors: true })
    const preflight = await emu.fetch(`${LOGIN}/services/oauth2/token`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type')
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
    expect(emu.count('token')).toBe(0)
    const res = await passwordLoginWithOrigin(emu)
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  })

  it('adds nothing when disabled', async () => {
    const res = await passwordLoginWithOrigin(createEmulator())
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })
})

function passwordLoginWithOrigin(emu: ReturnType<typeof createEmulator>) {
  return token(
    emu,
    {
      grant_type: 'password',
      ...appCredentials,
      username: DEFAULT_USER.username,
      password: DEFAULT_USER.password + DEFAULT_USER.securityToken,
    },
    LOGIN,
    { Origin: 'http://localhost:5173' },
  )
}

describe('OpenID Connect discovery', () => {
  it('describes the host it was asked on', async () => {
    const emu = createEmulator()
    const res = await emu.fetch(`${MY_DOMAIN}/.well-known/openid-configuration`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await res.json()).toMatchObject({
      issuer: MY_DOMAIN,
      authorization_endpoint: `${MY_DOMAIN}/services/oauth2/authorize`,
      token_endpoint: `${MY_DOMAIN}/services/oauth2/token`,
      revocation_endpoint: `${MY_DOMAIN}/services/oauth2/revoke`,
      userinfo_endpoint: `${MY_DOMAIN}/services/oauth2/userinfo`,
    })
  })
})

describe('sessionSecondsValid', () => {
  it('ends a session after that many seconds without use, and not before', async () => {
    let now = 1_000_000
    const emu = createEmulator({ sessionSecondsValid: 60, now: () => now })
    const token = await accessToken(emu)
    now += 59_000
    expect(emu.isValidAccessToken(token)).toBe(true)
    now += 2_000
    expect(emu.isValidAccessToken(token)).toBe(false)
  })
})
