import { SfAuthError } from '@sfauth/core'
import { describe, expect, it } from 'vitest'
import { OAuth2 } from '../src/index.js'
import { CLIENT_ID, newOAuth2, REDIRECT_URI } from './helpers.js'

function query(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams)
}

describe('endpoints', () => {
  it('default to login.salesforce.com', () => {
    const oauth2 = new OAuth2({ clientId: CLIENT_ID })
    expect(oauth2.loginUrl).toBe('https://login.salesforce.com')
    expect(oauth2.authzServiceUrl).toBe('https://login.salesforce.com/services/oauth2/authorize')
    expect(oauth2.tokenServiceUrl).toBe('https://login.salesforce.com/services/oauth2/token')
    expect(oauth2.revokeServiceUrl).toBe('https://login.salesforce.com/services/oauth2/revoke')
  })

  it.each([
    ['https://test.salesforce.com', 'https://test.salesforce.com/services/oauth2/token'],
    ['https://acme.my.salesforce.com/', 'https://acme.my.salesforce.com/services/oauth2/token'],
    [
      'https://acme--dev.sandbox.my.salesforce.com',
      'https://acme--dev.sandbox.my.salesforce.com/services/oauth2/token',
    ],
    [
      'https://acme.my.site.com/partners/',
      'https://acme.my.site.com/partners/services/oauth2/token',
    ],
  ])('derive from loginUrl %s, keeping a path prefix', (loginUrl, token) => {
    const oauth2 = new OAuth2({ clientId: CLIENT_ID, loginUrl })
    expect(oauth2.tokenServiceUrl).toBe(token)
    expect(oauth2.authzServiceUrl).toBe(token.replace(/token$/, 'authorize'))
    expect(oauth2.revokeServiceUrl).toBe(token.replace(/token$/, 'revoke'))
    expect(oauth2.loginUrl).toBe(token.replace(/\/services\/oauth2\/token$/, ''))
  })

  it('take explicit service URLs over the derived ones', () => {
    const oauth2 = new OAuth2({
      clientId: CLIENT_ID,
      authzServiceUrl: 'https://sso.example.com/authorize',
      tokenServiceUrl: 'https://sso.example.com/token',
      revokeServiceUrl: 'https://sso.example.com/revoke',
    })
    expect(oauth2.getAuthorizationUrl({ redirect_uri: REDIRECT_URI })).toMatch(
      /^https:\/\/sso\.example\.com\/authorize\?/,
    )
    expect(oauth2.tokenServiceUrl).toBe('https://sso.example.com/token')
    expect(oauth2.revokeServiceUrl).toBe('https://sso.example.com/revoke')
  })

  it('refuse plain http except for loopback hosts', () => {
    const insecure = () => new OAuth2({ clientId: CLIENT_ID, loginUrl: 'http://example.com' })
    expect(insecure).toThrow(SfAuthError)
    expect(insecure).toThrow(/https/)
    expect(
      new OAuth2({ clientId: CLIENT_ID, loginUrl: 'http://127.0.0.1:8080' }).tokenServiceUrl,
    ).toBe('http://127.0.0.1:8080/services/oauth2/token')
    expect(
      () => new OAuth2({ clientId: CLIENT_ID, tokenServiceUrl: 'http://example.com/token' }),
    ).toThrow(SfAuthError)
  })

  it('reject bad options with a TypeError', () => {
    expect(() => new OAuth2({} as never)).toThrow(TypeError)
    expect(() => new OAuth2({ clientId: '' })).toThrow(/clientId/)
    expect(() => new OAuth2({ clientId: CLIENT_ID, loginUrl: 'login.salesforce.com' })).toThrow(
      TypeError,
    )
    expect(() => new OAuth2({ clientId: CLIENT_ID, timeout: 0 })).toThrow(/timeout/)
  })
})

describe('getAuthorizationUrl', () => {
  it('builds the seed URL: response_type=code, client_id, redirect_uri, scope', () => {
    const url = newOAuth2().getAuthorizationUrl({ scope: 'api id web' })
    expect(url.startsWith('https://login.salesforce.com/services/oauth2/authorize?')).toBe(true)
    expect(query(url)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      scope: 'api id web',
    })
  })

  it('passes every Salesforce parameter through, encoded', () => {
    const params = {
      scope: 'api refresh_token openid',
      state: 'a b&c=d',
      prompt: 'login consent',
      display: 'popup',
      login_hint: 'user+1@example.com',
      nonce: 'n-0S6_WzA2Mj',
      immediate: 'false',
    }
    const url = newOAuth2().getAuthorizationUrl(params)
    expect(query(url)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      ...params,
    })
    expect(url).not.toContain(' ')
  })

  it('gives a code_challenge without a method S256 and keeps an explicit one', () => {
    const oauth2 = newOAuth2()
    expect(query(oauth2.getAuthorizationUrl({ code_challenge: 'abc' }))).toMatchObject({
      code_challenge: 'abc',
      code_challenge_method: 'S256',
    })
    expect(
      query(oauth2.getAuthorizationUrl({ code_challenge: 'abc', code_challenge_method: 'plain' })),
    ).toMatchObject({ code_challenge_method: 'plain' })
    expect(query(oauth2.getAuthorizationUrl())).not.toHaveProperty('code_challenge_method')
  })

  it('lets redirect_uri override the instance and the client id stay its own', () => {
    const url = newOAuth2().getAuthorizationUrl({
      redirect_uri: 'https://app.example.com/cb',
      client_id: 'someone-else',
    })
    expect(query(url).redirect_uri).toBe('https://app.example.com/cb')
    expect(query(url).client_id).toBe(CLIENT_ID)
  })

  it('is synchronous and needs a redirect URI', () => {
    expect(
      typeof new OAuth2({ clientId: CLIENT_ID, redirectUri: REDIRECT_URI }).getAuthorizationUrl(),
    ).toBe('string')
    expect(() => new OAuth2({ clientId: CLIENT_ID }).getAuthorizationUrl({ scope: 'api' })).toThrow(
      /redirect/,
    )
  })

  it('keeps a path prefix of an Experience Cloud site', () => {
    const oauth2 = newOAuth2({ loginUrl: 'https://acme.my.site.com/partners' })
    expect(new URL(oauth2.getAuthorizationUrl()).pathname).toBe(
      '/partners/services/oauth2/authorize',
    )
  })
})
