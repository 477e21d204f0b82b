import { Connection, SfAuthError } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it } from 'vitest'
import { OAuth2, parseAuthorizationCallback } from '../src/index.js'
import { CLIENT_SECRET, newOAuth2, PASSWORD, REDIRECT_URI, USERNAME } from './helpers.js'

const ctx = useMswEmulator()

async function failure(promise: Promise<unknown>): Promise<SfAuthError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(SfAuthError)
  return err as SfAuthError
}

describe('token endpoint errors keep Salesforce error, description and status', () => {
  it('invalid_client_id for an unknown consumer key', async () => {
    const err = await failure(
      new Connection({
        oauth2: new OAuth2({ clientId: 'UNKNOWN', redirectUri: REDIRECT_URI }),
      }).login(USERNAME, PASSWORD),
    )
    expect(err).toMatchObject({
      name: 'SfAuthError',
      errorCode: 'invalid_client_id',
      status: 400,
      message: 'client identifier invalid',
    })
  })

  it('invalid_client for a wrong secret, which never appears in the error', async () => {
    const err = await failure(
      newOAuth2({ clientSecret: 'a-wrong-secret' }).authenticate(USERNAME, PASSWORD),
    )
    expect(err).toMatchObject({ errorCode: 'invalid_client', status: 400 })
    expect(err.message).toBe('invalid client credentials')
    expect(`${err.message} ${err.stack}`).not.toContain('a-wrong-secret')
  })

  it('invalid_grant for a bad code, a bad password and a dead refresh token', async () => {
    const oauth2 = newOAuth2()
    for (const promise of [
      oauth2.requestToken('bogus-code'),
      oauth2.authenticate(USERNAME, 'wrong-password'),
      oauth2.refreshToken('5Aep861bogus'),
    ]) {
      const err = await failure(promise)
      expect(err.errorCode).toBe('invalid_grant')
      expect(err.status).toBe(400)
      expect(err.message).not.toMatch(/bogus|wrong-password/)
    }
  })

  it('a network failure is ERR_NETWORK', async () => {
    const oauth2 = newOAuth2({
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    })
    const err = await failure(oauth2.authenticate(USERNAME, PASSWORD))
    expect(err.errorCode).toBe('ERR_NETWORK')
    expect(err.message).not.toContain(PASSWORD)
    expect(err.message).not.toContain(CLIENT_SECRET)
  })

  it('an HTML page instead of JSON is ERR_HTTP with its title only', async () => {
    const oauth2 = newOAuth2({
      fetch: async () =>
        new Response('<html><head><title>Maintenance</title></head><body>...</body></html>', {
          status: 503,
          headers: { 'Content-Type': 'text/html' },
        }),
    })
    const err = await failure(oauth2.authenticate(USERNAME, PASSWORD))
    expect(err).toMatchObject({ errorCode: 'ERR_HTTP', status: 503 })
    expect(err.message).toContain('Maintenance')
    expect(err.message).not.toContain('<body>')
  })

  it('a grant type of another flow is a TypeError from the flow', async () => {
    const flow = newOAuth2()
    await expect(flow.authorize({} as never, { grant_type: 'client_credentials' })).rejects.toThrow(
      TypeError,
    )
    expect(ctx.emu.count('token')).toBe(0)
  })
})

describe('parseAuthorizationCallback', () => {
  it('returns code and state from a URL, a path, a query string, URLSearchParams or a query object', () => {
    const expected = { code: 'aPrx0jWjRo8', state: 's1' }
    for (const input of [
      'http://localhost:3000/oauth2/callback?code=aPrx0jWjRo8&state=s1',
      new URL('http://localhost:3000/oauth2/callback?code=aPrx0jWjRo8&state=s1'),
      '/oauth2/callback?code=aPrx0jWjRo8&state=s1',
      '?code=aPrx0jWjRo8&state=s1',
      'code=aPrx0jWjRo8&state=s1',
      new URLSearchParams({ code: 'aPrx0jWjRo8', state: 's1' }),
      { code: 'aPrx0jWjRo8', state: 's1' },
    ]) {
      expect(parseAuthorizationCallback(input, { state: 's1' })).toEqual(expected)
    }
    expect(parseAuthorizationCallback('?code=c')).toEqual({ code: 'c', state: undefined })
  })

  it('turns ?error=access_denied into an SfAuthError with the description as message', () => {
    const url =
      'http://localhost:3000/oauth2/callback?error=access_denied&error_description=end-user+denied+authorization&state=s1'
    const err = (() => {
      try {
        parseAuthorizationCallback(url, { state: 's1' })
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({
      errorCode: 'access_denied',
      message: 'end-user denied authorization',
      status: undefined,
    })
  })

  it('uses the error code as message when there is no description', () => {
    expect(() => parseAuthorizationCallback('?error=invalid_scope')).toThrow(
      expect.objectContaining({ errorCode: 'invalid_scope', message: 'invalid_scope' }),
    )
  })

  it('rejects another state, or none, before believing anything', () => {
    expect(() => parseAuthorizationCallback('?code=c&state=evil', { state: 's1' })).toThrow(
      expect.objectContaining({ errorCode: 'ERR_STATE_MISMATCH' }),
    )
    expect(() => parseAuthorizationCallback('?code=c', { state: 's1' })).toThrow(
      expect.objectContaining({ errorCode: 'ERR_STATE_MISMATCH' }),
    )
    expect(() =>
      parseAuthorizationCallback('?error=access_denied&state=evil', { state: 's1' }),
    ).toThrow(expect.objectContaining({ errorCode: 'ERR_STATE_MISMATCH' }))
  })

  it('rejects a callback with neither code nor error', () => {
    expect(() => parseAuthorizationCallback('?state=s1')).toThrow(
      expect.objectContaining({ errorCode: 'ERR_INVALID_RESPONSE' }),
    )
  })

  it('rejects other input with a TypeError', () => {
    expect(() => parseAuthorizationCallback(42 as never)).toThrow(TypeError)
  })

  it('works end to end with a real authorize redirect: Deny gives access_denied', async () => {
    const oauth2 = newOAuth2()
    const { url, state } = await oauth2.createAuthorizationRequest()
    const login = await ctx.emu.fetch(url, {
      method: 'POST',
      body: new URLSearchParams({
        ...Object.fromEntries(new URL(url).searchParams),
        action: 'login',
        username: USERNAME,
        password: 'demo-password-1',
      }),
    })
    const ticket = /name="ticket" value="([^"]+)"/.exec(await login.text())?.[1] as string
    const deny = await ctx.emu.fetch(url, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        ...Object.fromEntries(new URL(url).searchParams),
        action: 'deny',
        ticket,
      }),
    })
    const location = deny.headers.get('location') as string
    expect(location.startsWith(REDIRECT_URI)).toBe(true)
    expect(() => parseAuthorizationCallback(location, { state })).toThrow(
      expect.objectContaining({ errorCode: 'access_denied' }),
    )
  })
})
