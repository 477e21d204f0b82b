import { Connection, SfAuthError, type TokenResponse, type UserInfo } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it } from 'vitest'
import { OAuth2 } from '../src/index.js'
import { approveUrl, CLIENT_ID, callbackResult, newOAuth2, ORG_ID, USER_ID } from './helpers.js'

const ctx = useMswEmulator()

describe('conn.authorize(code)', () => {
  it('holds access token, refresh token, instance URL and userInfo afterwards (seed)', async () => {
    const oauth2 = newOAuth2()
    const code = approveUrl(
      ctx.emu,
      oauth2.getAuthorizationUrl({ scope: 'api id web refresh_token' }),
    )
    const conn = new Connection({ oauth2 })
    const userInfo = await conn.authorize(code)
    expect(userInfo).toEqual({
      id: USER_ID,
      organizationId: ORG_ID,
      url: `https://login.salesforce.com/id/${ORG_ID}/${USER_ID}`,
    })
    expect(conn.userInfo).toEqual(userInfo)
    expect(conn.instanceUrl).toBe('https://acme.my.salesforce.com')
    expect(ctx.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
    expect(conn.refreshToken).toMatch(/\S{20,}/)
    expect(ctx.emu.count('token', 'authorization_code')).toBe(1)
  })

  it('sends the grant to the connection flow registered by the oauth2 option alone', async () => {
    const oauth2 = newOAuth2()
    const conn = new Connection({ oauth2 })
    expect(conn.flows).toEqual([oauth2])
    expect(conn.oauth2).toBe(oauth2)
  })

  it('calls back Node style', async () => {
    const oauth2 = newOAuth2()
    const code = approveUrl(ctx.emu, oauth2.getAuthorizationUrl())
    const { callback, settled } = callbackResult<UserInfo>()
    await new Connection({ oauth2 }).authorize(code, callback)
    const [err, userInfo] = await settled
    expect(err).toBeNull()
    expect(userInfo?.id).toBe(USER_ID)
  })

  it('follows a sandbox loginUrl of the connection when the client names none', async () => {
    const oauth2 = newOAuth2()
    const code = approveUrl(ctx.emu, oauth2.getAuthorizationUrl())
    const conn = new Connection({ oauth2, loginUrl: 'https://test.salesforce.com' })
    const userInfo = await conn.authorize(code)
    expect(userInfo.url).toBe(`https://test.salesforce.com/id/${ORG_ID}/${USER_ID}`)
  })

  it('uses the client loginUrl (My Domain) when it names one', async () => {
    const oauth2 = newOAuth2({ loginUrl: 'https://acme.my.salesforce.com' })
    const code = approveUrl(ctx.emu, oauth2.getAuthorizationUrl())
    const conn = new Connection({ oauth2 })
    expect(conn.loginUrl).toBe('https://acme.my.salesforce.com')
    const userInfo = await conn.authorize(code)
    expect(userInfo.url).toBe(`https://acme.my.salesforce.com/id/${ORG_ID}/${USER_ID}`)
  })

  it('rejects a code used twice with invalid_grant, keeping no half session', async () => {
    const oauth2 = newOAuth2()
    const code = approveUrl(ctx.emu, oauth2.getAuthorizationUrl())
    await new Connection({ oauth2 }).authorize(code)
    const conn = new Connection({ oauth2 })
    const err = await conn.authorize(code).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'invalid_grant', status: 400 })
    expect((err as Error).message).toBe('invalid authorization code')
    expect((err as Error).message).not.toContain(code)
    expect(conn.accessToken).toBeUndefined()
  })

  it('rejects another redirect URI with redirect_uri_mismatch', async () => {
    const oauth2 = newOAuth2()
    const code = approveUrl(ctx.emu, oauth2.getAuthorizationUrl())
    await expect(
      new Connection({ oauth2 }).authorize(code, {
        redirect_uri: 'http://127.0.0.1:3000/oauth2/callback',
      }),
    ).rejects.toMatchObject({ errorCode: 'redirect_uri_mismatch', status: 400 })
  })

  it('answers conn.authorize({ grant_type: "authorization_code", code }) too', async () => {
    const oauth2 = newOAuth2()
    const { url, codeVerifier } = await oauth2.createAuthorizationRequest()
    const conn = new Connection({ oauth2 })
    const userInfo = await conn.authorize({
      grant_type: 'authorization_code',
      code: approveUrl(ctx.emu, url),
      code_verifier: codeVerifier,
    })
    expect(userInfo.id).toBe(USER_ID)
  })

  it('rejects an empty code with a TypeError', async () => {
    const conn = new Connection({ oauth2: newOAuth2() })
    await expect(conn.authorize({ grant_type: 'authorization_code' })).rejects.toThrow(TypeError)
    expect(ctx.emu.count('token')).toBe(0)
  })
})

describe('oauth2.requestToken(code)', () => {
  it('returns the token response without a connection', async () => {
    const oauth2 = newOAuth2()
    const { url, codeVerifier } = await oauth2.createAuthorizationRequest({
      scope: 'api refresh_token',
    })
    const res = await oauth2.requestToken(approveUrl(ctx.emu, url), { code_verifier: codeVerifier })
    expect(res).toMatchObject({
      instance_url: 'https://acme.my.salesforce.com',
      id: `https://login.salesforce.com/id/${ORG_ID}/${USER_ID}`,
      token_type: 'Bearer',
      scope: 'api refresh_token',
    })
    expect(ctx.emu.isValidAccessToken(res.access_token)).toBe(true)
    expect(typeof res.refresh_token).toBe('string')
  })

  it('calls back Node style, with or without params', async () => {
    const oauth2 = newOAuth2()
    const ok = callbackResult<TokenResponse>()
    await oauth2.requestToken(approveUrl(ctx.emu, oauth2.getAuthorizationUrl()), ok.callback)
    const [err, res] = await ok.settled
    expect(err).toBeNull()
    expect(ctx.emu.isValidAccessToken(res?.access_token as string)).toBe(true)

    const bad = callbackResult<TokenResponse>()
    await oauth2.requestToken('not-a-code', {}, bad.callback).catch(() => undefined)
    const [badErr, badRes] = await bad.settled
    expect(badErr).toBeInstanceOf(SfAuthError)
    expect(badErr).toMatchObject({ errorCode: 'invalid_grant' })
    expect(badRes).toBeUndefined()
  })

  it('needs a redirect URI', async () => {
    const oauth2 = new OAuth2({ clientId: CLIENT_ID })
    await expect(oauth2.requestToken('code')).rejects.toThrow(/redirect/)
  })
})
