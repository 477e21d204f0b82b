import { Connection, SfAuthError, type TokenResponse, type UserInfo } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it, vi } from 'vitest'
import { callbackResult, newOAuth2, ORG_ID, PASSWORD, USER_ID, USERNAME } from './helpers.js'

const ctx = useMswEmulator()

describe('conn.login(username, password + token) with an OAuth2 flow', () => {
  it('uses the password grant and holds the session (seed, promise)', async () => {
    const conn = new Connection({ oauth2: newOAuth2() })
    const userInfo = await conn.login(USERNAME, PASSWORD)
    expect(userInfo).toMatchObject({ id: USER_ID, organizationId: ORG_ID })
    expect(conn.instanceUrl).toBe('https://acme.my.salesforce.com')
    expect(ctx.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
    expect(conn.refreshToken).toBeUndefined()
    expect(ctx.emu.count('token', 'password')).toBe(1)
    expect(ctx.emu.count('soap-login')).toBe(0)
  })

  it('calls back Node style (seed)', async () => {
    const conn = new Connection({ oauth2: newOAuth2() })
    const ok = callbackResult<UserInfo>()
    await conn.login(USERNAME, PASSWORD, ok.callback)
    const [err, userInfo] = await ok.settled
    expect(err).toBeNull()
    expect(userInfo?.organizationId).toBe(ORG_ID)

    const bad = callbackResult<UserInfo>()
    await conn.login(USERNAME, 'wrong', bad.callback).catch(() => undefined)
    const [badErr] = await bad.settled
    expect(badErr).toMatchObject({ errorCode: 'invalid_grant', status: 400 })
  })

  it('rejects wrong credentials with invalid_grant "authentication failure", password not echoed', async () => {
    const conn = new Connection({ oauth2: newOAuth2() })
    const err = await conn.login(USERNAME, 'not-the-password').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'invalid_grant', status: 400 })
    expect((err as Error).message).toMatch(/^authentication failure \(If the credentials are right/)
    expect((err as Error).message).not.toContain('not-the-password')
    expect(conn.accessToken).toBeUndefined()
  })

  it('logs in again when the session expires, firing refresh', async () => {
    const conn = new Connection({ oauth2: newOAuth2() })
    await conn.login(USERNAME, PASSWORD)
    const first = conn.accessToken
    const refresh = vi.fn()
    conn.on('refresh', refresh)
    ctx.emu.expireSessions()
    await conn.request('query?q=SELECT+Id+FROM+User')
    expect(ctx.emu.count('token', 'password')).toBe(2)
    expect(conn.accessToken).not.toBe(first)
    expect(refresh).toHaveBeenCalledWith(
      conn.accessToken,
      expect.objectContaining({ access_token: conn.accessToken }),
    )
  })

  it('answers conn.authorize({ grant_type: "password", username, password })', async () => {
    const conn = new Connection({ oauth2: newOAuth2() })
    const userInfo = await conn.authorize({
      grant_type: 'password',
      username: USERNAME,
      password: PASSWORD,
    })
    expect(userInfo.id).toBe(USER_ID)
  })

  it('reports the grant blocked for the app as invalid_grant', async () => {
    ctx.emu.addApp({
      clientId: 'NO_ROPC',
      clientSecret: 'no-ropc-secret',
      allowPasswordGrant: false,
    })
    const conn = new Connection({
      oauth2: newOAuth2({ clientId: 'NO_ROPC', clientSecret: 'no-ropc-secret' }),
    })
    await expect(conn.login(USERNAME, PASSWORD)).rejects.toMatchObject({
      errorCode: 'invalid_grant',
    })
  })
})

describe('oauth2.authenticate()', () => {
  it('returns the token response without a connection', async () => {
    const res = await newOAuth2().authenticate(USERNAME, PASSWORD)
    expect(ctx.emu.isValidAccessToken(res.access_token)).toBe(true)
    expect(res.id).toBe(`https://login.salesforce.com/id/${ORG_ID}/${USER_ID}`)
    expect(res.refresh_token).toBeUndefined()
  })

  it('calls back Node style', async () => {
    const { callback, settled } = callbackResult<TokenResponse>()
    await newOAuth2().authenticate(USERNAME, PASSWORD, callback)
    const [err, res] = await settled
    expect(err).toBeNull()
    expect(typeof res?.access_token).toBe('string')
  })

  it('refuses empty credentials with a TypeError before any request', async () => {
    await expect(newOAuth2().authenticate('', PASSWORD)).rejects.toThrow(/username/)
    await expect(newOAuth2().authenticate(USERNAME, '')).rejects.toThrow(/password/)
    expect(ctx.emu.count('token')).toBe(0)
  })
})
