import { Connection, SfAuthError } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it } from 'vitest'
import { authorizedConnection, callbackResult, newOAuth2, PASSWORD, USERNAME } from './helpers.js'

const ctx = useMswEmulator()

describe('oauth2.revokeToken()', () => {
  it('revokes an access token', async () => {
    const oauth2 = newOAuth2()
    const res = await oauth2.authenticate(USERNAME, PASSWORD)
    await oauth2.revokeToken(res.access_token)
    expect(ctx.emu.isValidAccessToken(res.access_token)).toBe(false)
    expect(ctx.emu.count('revoke')).toBe(1)
  })

  it('revokes a refresh token and its access tokens', async () => {
    const conn = await authorizedConnection(ctx.emu)
    const oauth2 = newOAuth2()
    await oauth2.revokeToken(conn.refreshToken as string)
    expect(ctx.emu.isValidAccessToken(conn.accessToken as string)).toBe(false)
    await expect(oauth2.refreshToken(conn.refreshToken as string)).rejects.toMatchObject({
      errorCode: 'invalid_grant',
    })
  })

  it('rejects an unknown token with invalid_token, without echoing it', async () => {
    const err = await newOAuth2()
      .revokeToken('00Dunknown!token')
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'invalid_token', status: 400 })
    expect((err as Error).message).not.toContain('00Dunknown!token')
  })

  it('calls back Node style', async () => {
    const oauth2 = newOAuth2()
    const res = await oauth2.authenticate(USERNAME, PASSWORD)
    const ok = callbackResult<void>()
    await oauth2.revokeToken(res.access_token, ok.callback)
    expect((await ok.settled)[0]).toBeNull()
    const bad = callbackResult<void>()
    await oauth2.revokeToken(res.access_token, bad.callback).catch(() => undefined)
    expect((await bad.settled)[0]).toMatchObject({ errorCode: 'invalid_token' })
  })
})

describe('conn.logout() on an OAuth session', () => {
  it('revokes the refresh token, which kills the access token, and clears the connection', async () => {
    const conn = await authorizedConnection(ctx.emu)
    const { accessToken, refreshToken } = conn
    await conn.logout()
    expect(ctx.emu.count('revoke')).toBe(1)
    expect(ctx.emu.isValidAccessToken(accessToken as string)).toBe(false)
    await expect(newOAuth2().refreshToken(refreshToken as string)).rejects.toMatchObject({
      errorCode: 'invalid_grant',
    })
    expect(conn.accessToken).toBeUndefined()
    expect(conn.refreshToken).toBeUndefined()
  })

  it('revokes the access token when there is no refresh token (callback form)', async () => {
    const conn = new Connection({ oauth2: newOAuth2() })
    await conn.login(USERNAME, PASSWORD)
    const token = conn.accessToken as string
    const { callback, settled } = callbackResult<void>()
    await conn.logout(callback)
    expect((await settled)[0]).toBeNull()
    expect(ctx.emu.isValidAccessToken(token)).toBe(false)
  })

  it('counts an already revoked session as logged out', async () => {
    const conn = await authorizedConnection(ctx.emu)
    await newOAuth2().revokeToken(conn.refreshToken as string)
    await conn.logout()
    expect(conn.accessToken).toBeUndefined()
  })

  it('leaves a SOAP session to another flow', async () => {
    const oauth2 = newOAuth2()
    const session = {
      accessToken: 'x'.repeat(20),
      instanceUrl: 'https://acme.my.salesforce.com',
      kind: 'soap' as const,
    }
    expect(oauth2.logout({} as never, session)).toBeUndefined()
    const conn = new Connection({
      oauth2,
      serverUrl: 'https://acme.my.salesforce.com/services/Soap/u/64.0/00D',
      sessionId: 'x'.repeat(20),
    })
    await expect(conn.logout()).rejects.toMatchObject({ errorCode: 'ERR_NO_FLOW' })
    expect(ctx.emu.count('revoke')).toBe(0)
  })
})
