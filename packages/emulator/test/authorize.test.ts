import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createEmulator,
  DEFAULT_APP,
  DEFAULT_USER,
  type Emulator,
  type EmulatorServer,
} from '../src/index.js'
import { CALLBACK, LOGIN, token } from './helpers.js'
import { readForm } from './html-form.js'

type Fetch = typeof fetch

function authorizeUrl(origin: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: DEFAULT_APP.clientId,
    redirect_uri: CALLBACK,
    scope: 'api refresh_token',
    state: 'st<&>"1',
    ...extra,
  })
  return `${origin}/services/oauth2/authorize?${params}`
}

async function submit(doFetch: Fetch, origin: string, html: string, extra: Record<string, string>) {
  const { action, fields } = readForm(html)
  return doFetch(new URL(action, origin), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, ...extra }),
    redirect: 'manual',
  })
}

/** GET the login page, POST the login form, and return the consent page. */
async function loginThrough(doFetch: Fetch, origin: string, extra: Record<string, string> = {}) {
  const page = await doFetch(authorizeUrl(origin, extra))
  expect(page.status).toBe(200)
  expect(page.headers.get('content-type')).toMatch(/^text\/html/)
  const consent = await submit(doFetch, origin, await page.text(), {
    username: DEFAULT_USER.username,
    password: DEFAULT_USER.password,
  })
  expect(consent.status).toBe(200)
  const html = await consent.text()
  expect(html).toContain('Allow')
  expect(html).toContain('Deny')
  return html
}

describe('authorize pages driven by plain fetch', () => {
  const emu = createEmulator()
  const doFetch = emu.fetch

  it('shows a login form that carries every authorize parameter', async () => {
    const res = await doFetch(
      authorizeUrl(LOGIN, { login_hint: DEFAULT_USER.username, prompt: 'login', nonce: 'n1' }),
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const { action, fields } = readForm(await res.text())
    expect(action).toBe('/services/oauth2/authorize')
    expect(fields).toMatchObject({
      response_type: 'code',
      client_id: DEFAULT_APP.clientId,
      redirect_uri: CALLBACK,
      scope: 'api refresh_token',
      state: 'st<&>"1',
      prompt: 'login',
      nonce: 'n1',
      username: DEFAULT_USER.username,
    })
  })

  it('Allow redirects with a code and the state, and the code works', async () => {
    const consent = await loginThrough(doFetch, LOGIN)
    const res = await submit(doFetch, LOGIN, consent, { action: 'allow' })
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location')!)
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK)
    expect(location.searchParams.get('state')).toBe('st<&>"1')
    const code = location.searchParams.get('code')!
    const tokens = await token(emu, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      client_id: DEFAULT_APP.clientId,
      client_secret: DEFAULT_APP.clientSecret!,
    })
    expect(tokens.status).toBe(200)
    expect(((await tokens.json()) as { refresh_token?: string }).refresh_token).toBeDefined()
  })

  it('Deny redirects with access_denied', async () => {
    const consent = await loginThrough(doFetch, LOGIN)
    const res = await submit(doFetch, LOGIN, consent, { action: 'deny' })
    expect(res.status).toBe(302)
    const location = res.headers.get('location')!
    expect(location).toBe(
      `${CALLBACK}?error=access_denied&error_description=end-user+denied+authorization&state=st%3C%26%3E%221`,
    )
  })

  it('carries the PKCE challenge to the code', async () => {
    const verifier = randomBytes(64).toString('base64url')
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const consent = await loginThrough(doFetch, LOGIN, { code_challenge: challenge })
    const res = await submit(doFetch, LOGIN, consent, { action: 'allow' })
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!
    const exchange = (extra: Record<string, string>) =>
      token(emu, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        client_id: DEFAULT_APP.clientId,
        client_secret: DEFAULT_APP.clientSecret!,
        ...extra,
      })
    expect((await exchange({ code_verifier: verifier })).status).toBe(200)
  })

  it('shows the login page again with an error for wrong credentials', async () => {
    const page = await (await doFetch(authorizeUrl(LOGIN))).text()
    const res = await submit(doFetch, LOGIN, page, {
      username: DEFAULT_USER.username,
      password: 'wrong',
    })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Please check your username and password')
    expect(readForm(html).fields.action).toBe('login')
  })

  it('refuses a consent without a valid login ticket', async () => {
    const consent = await loginThrough(doFetch, LOGIN)
    const res = await submit(doFetch, LOGIN, consent, { action: 'allow', ticket: 'forged' })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Please log in again')
  })

  it('uses a login ticket once', async () => {
    const consent = await loginThrough(doFetch, LOGIN)
    expect((await submit(doFetch, LOGIN, consent, { action: 'allow' })).status).toBe(302)
    expect((await submit(doFetch, LOGIN, consent, { action: 'allow' })).status).toBe(200)
  })

  it('shows an HTML error page, without redirecting, for an unknown client', async () => {
    const res = await doFetch(authorizeUrl(LOGIN, { client_id: 'unknown' }), { redirect: 'manual' })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(res.headers.get('location')).toBeNull()
    expect(await res.text()).toContain('invalid_client_id')
  })

  it('shows an HTML error page for an unregistered redirect URI', async () => {
    const res = await doFetch(authorizeUrl(LOGIN, { redirect_uri: 'https://evil.example/cb' }))
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await res.text()).toContain('redirect_uri_mismatch')
  })

  it('redirects unsupported_response_type to a registered redirect URI', async () => {
    const res = await doFetch(authorizeUrl(LOGIN, { response_type: 'id_token' }))
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location')!)
    expect(location.searchParams.get('error')).toBe('unsupported_response_type')
    expect(location.searchParams.get('state')).toBe('st<&>"1')
  })

  it('answers the user-agent flow (response_type=token) in the fragment', async () => {
    const consent = await loginThrough(doFetch, LOGIN, { response_type: 'token' })
    const res = await submit(doFetch, LOGIN, consent, { action: 'allow' })
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location')!)
    expect(location.search).toBe('')
    const fragment = new URLSearchParams(location.hash.slice(1))
    expect(fragment.get('token_type')).toBe('Bearer')
    expect(fragment.get('state')).toBe('st<&>"1')
    expect(emu.isValidAccessToken(fragment.get('access_token')!)).toBe(true)
  })

  it('escapes every carried parameter (no markup injection)', async () => {
    const res = await doFetch(authorizeUrl(LOGIN, { state: '"><script>alert(1)</script>' }))
    const html = await res.text()
    expect(html).not.toContain('<script>')
    expect(readForm(html).fields.state).toBe('"><script>alert(1)</script>')
  })

  it('redirects invalid_request for an unknown code_challenge_method', async () => {
    const res = await doFetch(
      authorizeUrl(LOGIN, { code_challenge: 'abc', code_challenge_method: 'S512' }),
    )
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location')!)
    expect(location.searchParams.get('error')).toBe('invalid_request')
  })

  it('keeps an Experience Cloud site prefix in the form action', async () => {
    const site = 'https://acme.my.site.com/partners'
    const page = await (await doFetch(authorizeUrl(site))).text()
    expect(readForm(page).action).toBe('/partners/services/oauth2/authorize')
  })
})

describe('authorize pages over the loopback server', () => {
  let emu: Emulator
  let server: EmulatorServer
  beforeAll(async () => {
    emu = createEmulator()
    server = await emu.listen()
  })
  afterAll(() => server.close())

  it('runs the whole flow with real HTTP', async () => {
    const consent = await loginThrough(fetch, server.url)
    const res = await submit(fetch, server.url, consent, { action: 'allow' })
    expect(res.status).toBe(302)
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!
    const tokens = await fetch(`${server.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        client_id: DEFAULT_APP.clientId,
        client_secret: DEFAULT_APP.clientSecret!,
      }),
    })
    expect(tokens.status).toBe(200)
    expect(((await tokens.json()) as { instance_url: string }).instance_url).toBe(server.url)
    expect(emu.count('authorize')).toBe(3)
  })
})
