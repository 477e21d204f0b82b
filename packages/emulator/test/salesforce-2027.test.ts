import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_APP, DEFAULT_USER, type Emulator } from '../src/index.js'
import {
  accessToken,
  appCredentials,
  CALLBACK,
  expectOAuthError,
  LOGIN,
  MY_DOMAIN,
  passwordLogin,
  postForm,
  token,
} from './helpers.js'

type Tokens = Record<string, string>
const ECA = { ...DEFAULT_APP, externalClientApp: true }

/** A web server flow login (as after the browser's login and consent): its token response. */
async function webLogin(emu: Emulator, extra: { codeChallenge?: string } = {}): Promise<Tokens> {
  const code = emu.approve({
    clientId: DEFAULT_APP.clientId,
    username: DEFAULT_USER.username,
    redirectUri: CALLBACK,
    scope: 'api web refresh_token',
    ...extra,
  })
  const res = await token(emu, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: CALLBACK,
    ...appCredentials,
  })
  expect(res.status).toBe(200)
  return (await res.json()) as Tokens
}

const refresh = (emu: Emulator, refreshToken: string) =>
  token(emu, { grant_type: 'refresh_token', refresh_token: refreshToken, ...appCredentials })

describe('External Client Apps', () => {
  it('refuse the password grant as Salesforce does, where a connected app grants it', async () => {
    await expectOAuthError(
      await passwordLogin(createEmulator({ apps: [ECA] })),
      'invalid_grant',
      'authentication failure',
    )
    expect((await passwordLogin(createEmulator())).status).toBe(200)
  })

  it('rotate refresh tokens unless the app turns rotation off', async () => {
    const emu = createEmulator({ apps: [ECA] })
    const first = await webLogin(emu)
    const second = (await (await refresh(emu, first.refresh_token!)).json()) as Tokens
    expect(second.refresh_token).toMatch(/^5Aep861/)
    expect(second.refresh_token).not.toBe(first.refresh_token)

    const off = createEmulator({ apps: [{ ...ECA, rotateRefreshTokens: false }] })
    const kept = await webLogin(off)
    const again = (await (await refresh(off, kept.refresh_token!)).json()) as Tokens
    expect(again.refresh_token).toBeUndefined()
  })

  it('serve the flows that replace the password grant: client credentials on a My Domain', async () => {
    const res = await token(
      createEmulator({ apps: [ECA] }),
      {
        grant_type: 'client_credentials',
        ...appCredentials,
      },
      MY_DOMAIN,
    )
    expect(res.status).toBe(200)
  })
})

describe('an app that requires PKCE', () => {
  const authorize = (emu: Emulator, extra: Record<string, string> = {}) =>
    emu.fetch(
      `${LOGIN}/services/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: DEFAULT_APP.clientId,
        redirect_uri: CALLBACK,
        state: 's1',
        ...extra,
      })}`,
      { redirect: 'manual' },
    )

  it('sends an authorization request without a code challenge back with invalid_request', async () => {
    const emu = createEmulator({ apps: [{ ...DEFAULT_APP, requirePkce: true }] })
    const res = await authorize(emu)
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location') ?? '')
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK)
    expect(location.searchParams.get('error')).toBe('invalid_request')
    expect(location.searchParams.get('error_description')).toBe('missing required code challenge')
    expect(location.searchParams.get('state')).toBe('s1')
    expect(() =>
      emu.approve({
        clientId: DEFAULT_APP.clientId,
        username: DEFAULT_USER.username,
        redirectUri: CALLBACK,
      }),
    ).toThrow(TypeError)
  })

  it('shows the login page to a request with a challenge', async () => {
    const emu = createEmulator({ apps: [{ ...DEFAULT_APP, requirePkce: true }] })
    const res = await authorize(emu, {
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('name="password"')
  })
})

describe('an org with the username-password flow blocked (Winter \u201927 release update)', () => {
  it('refuses the password grant with the answer a wrong password gets', async () => {
    const emu = createEmulator({ blockUsernamePasswordFlow: true })
    await expectOAuthError(await passwordLogin(emu), 'invalid_grant', 'authentication failure')
    // The same user still logs in with a flow that has no password.
    const res = await token(emu, { grant_type: 'client_credentials', ...appCredentials }, MY_DOMAIN)
    expect(res.status).toBe(200)
  })
})

describe('refresh-token idle timeout', () => {
  const DAY = 24 * 60 * 60 * 1000
  function clockedEmulator() {
    let now = Date.UTC(2027, 2, 1)
    const emu = createEmulator({
      apps: [{ ...DEFAULT_APP, refreshTokenIdleTimeoutMs: 30 * DAY }],
      now: () => now,
    })
    return { emu, advance: (ms: number) => (now += ms) }
  }

  it('answers invalid_grant for a refresh token unused past the timeout, as for an expired one', async () => {
    const { emu, advance } = clockedEmulator()
    const tokens = await webLogin(emu)
    advance(30 * DAY + 1)
    await expectOAuthError(
      await refresh(emu, tokens.refresh_token!),
      'invalid_grant',
      'expired access/refresh token',
    )
    // Dead for good: later use fails too, and its access tokens went with it.
    await expectOAuthError(
      await refresh(emu, tokens.refresh_token!),
      'invalid_grant',
      'expired access/refresh token',
    )
  })

  it('counts from the last use: a token used within the timeout keeps living', async () => {
    const { emu, advance } = clockedEmulator()
    const tokens = await webLogin(emu)
    for (let i = 0; i < 3; i++) {
      advance(29 * DAY)
      expect((await refresh(emu, tokens.refresh_token!)).status).toBe(200)
    }
  })
})

describe('/services/oauth2/singleaccess and /secur/frontdoor.jsp', () => {
  async function frontdoorUri(emu: Emulator, token: string, fields: Record<string, string> = {}) {
    const res = await postForm(emu, `${MY_DOMAIN}/services/oauth2/singleaccess`, fields, {
      Authorization: `Bearer ${token}`,
    })
    return res
  }
  const visit = (emu: Emulator, url: string, cookie?: string) =>
    emu.fetch(url, { redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) })

  it('answers a single-use frontdoor_uri on the instance, with the redirect as startURL', async () => {
    const emu = createEmulator()
    const res = await frontdoorUri(emu, await accessToken(emu), {
      redirect_uri: '/lightning/o/Account/home',
    })
    expect(res.status).toBe(200)
    const { frontdoor_uri } = (await res.json()) as { frontdoor_uri: string }
    const url = new URL(frontdoor_uri)
    expect(url.origin).toBe(MY_DOMAIN)
    expect(url.pathname).toBe('/secur/frontdoor.jsp')
    expect(url.searchParams.get('otp')).toMatch(/^00D\w{12}!AQ/)
    expect(url.searchParams.get('startURL')).toBe('/lightning/o/Account/home')
  })

  it('logs the browser in once, then is spent', async () => {
    const emu = createEmulator()
    const res = await frontdoorUri(emu, await accessToken(emu), {
      redirect_uri: '/lightning/o/Account/home',
    })
    const { frontdoor_uri } = (await res.json()) as { frontdoor_uri: string }

    const first = await visit(emu, frontdoor_uri)
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe('/lightning/o/Account/home')
    const sid = /^sid=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')?.[1]
    expect(sid).toBeTruthy()
    const page = await visit(emu, `${MY_DOMAIN}/lightning/o/Account/home`, `sid=${sid}`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain(`data-user="${DEFAULT_USER.username}"`)

    const second = await visit(emu, frontdoor_uri)
    expect(second.status).toBe(302)
    expect(second.headers.get('set-cookie')).toBeNull()
    expect(second.headers.get('location')).toMatch(/\/\?ec=302&startURL=/)
    // Without the cookie the UI sends the browser to log in.
    expect((await visit(emu, `${MY_DOMAIN}/lightning/page/home`)).status).toBe(302)
  })

  it('expires unspent after two minutes', async () => {
    let now = Date.now()
    const emu = createEmulator({ now: () => now })
    const res = await frontdoorUri(emu, await accessToken(emu))
    const { frontdoor_uri } = (await res.json()) as { frontdoor_uri: string }
    expect(new URL(frontdoor_uri).searchParams.get('startURL')).toBe('/lightning/page/home')
    now += 2 * 60 * 1000 + 1
    const late = await visit(emu, frontdoor_uri)
    expect(late.headers.get('set-cookie')).toBeNull()
  })

  it('answers 403 Bad_OAuth_Token for a dead access token, and refuses an absolute redirect', async () => {
    const emu = createEmulator()
    const live = await accessToken(emu)
    const dead = await accessToken(emu)
    emu.expireSession(dead)
    const refused = await frontdoorUri(emu, dead)
    expect(refused.status).toBe(403)
    expect(await refused.text()).toBe('Bad_OAuth_Token')
    await expectOAuthError(
      await frontdoorUri(emu, live, { redirect_uri: 'https://evil.example/' }),
      'invalid_request',
      'redirect_uri must be a relative path',
    )
    expect(emu.count('singleaccess')).toBe(2)
  })
})

describe('an org that requires high-assurance sessions for the REST API', () => {
  const limits = (emu: Emulator, token: string) =>
    emu.fetch(`${MY_DOMAIN}/services/data/v64.0/limits`, {
      headers: { Authorization: `Bearer ${token}` },
    })

  it('refuses an API login’s session with INVALID_SESSION_ID and its own message', async () => {
    const emu = createEmulator({ requireHighAssurance: true })
    const res = await limits(emu, await accessToken(emu))
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual([
      {
        message: 'This session is not valid for use with the REST API',
        errorCode: 'INVALID_SESSION_ID',
      },
    ])
    const plain = createEmulator()
    expect((await limits(plain, await accessToken(plain))).status).toBe(200)
  })

  it('serves a browser login’s session and its refreshes', async () => {
    const emu = createEmulator({ requireHighAssurance: true })
    const tokens = await webLogin(emu)
    expect((await limits(emu, tokens.access_token!)).status).toBe(200)
    const renewed = (await (await refresh(emu, tokens.refresh_token!)).json()) as Tokens
    expect((await limits(emu, renewed.access_token!)).status).toBe(200)
  })
})
