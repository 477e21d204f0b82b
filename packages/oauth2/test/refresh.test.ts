import { Connection, SfAuthError, type TokenResponse } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it, vi } from 'vitest'
import {
  approveUrl,
  authorizedConnection,
  callbackResult,
  newOAuth2,
  PASSWORD,
  USERNAME,
} from './helpers.js'

const ctx = useMswEmulator()

async function tokens() {
  const oauth2 = newOAuth2()
  const url = oauth2.getAuthorizationUrl({ scope: 'api refresh_token' })
  return { oauth2, res: await oauth2.requestToken(approveUrl(ctx.emu, url)) }
}

describe('oauth2.refreshToken()', () => {
  it('returns a new access token and the rotated refresh token', async () => {
    const { oauth2, res } = await tokens()
    const next = await oauth2.refreshToken(res.refresh_token as string)
    expect(ctx.emu.isValidAccessToken(next.access_token)).toBe(true)
    expect(next.access_token).not.toBe(res.access_token)
    expect(next.refresh_token).toEqual(expect.any(String))
    expect(next.refresh_token).not.toBe(res.refresh_token)
    // The rotated one works; the old one is dead.
    const third = await oauth2.refreshToken(next.refresh_token as string)
    expect(ctx.emu.isValidAccessToken(third.access_token)).toBe(true)
  })

  it('rejects a rotated-out refresh token with invalid_grant', async () => {
    const { oauth2, res } = await tokens()
    await oauth2.refreshToken(res.refresh_token as string)
    const err = await oauth2.refreshToken(res.refresh_token as string).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'invalid_grant', status: 400 })
    expect((err as Error).message).toBe('expired access/refresh token')
    expect((err as Error).message).not.toContain(res.refresh_token)
  })

  it('calls back Node style, as conn.oauth2.refreshToken(rt, cb) in the seed', async () => {
    const conn = await authorizedConnection(ctx.emu)
    const { callback, settled } = callbackResult<TokenResponse>()
    ;(conn.oauth2 as ReturnType<typeof newOAuth2>).refreshToken(
      conn.refreshToken as string,
      callback,
    )
    const [err, results] = await settled
    expect(err).toBeNull()
    expect(ctx.emu.isValidAccessToken(results?.access_token as string)).toBe(true)

    const failed = callbackResult<TokenResponse>()
    ;(conn.oauth2 as ReturnType<typeof newOAuth2>).refreshToken('5Aep861unknown', failed.callback)
    const [failure] = await failed.settled
    expect(failure).toMatchObject({ errorCode: 'invalid_grant' })
  })

  it('rejects an empty refresh token with a TypeError before any request', async () => {
    await expect(newOAuth2().refreshToken('')).rejects.toThrow(TypeError)
    expect(ctx.emu.count('token')).toBe(0)
  })
})

describe('automatic renewal through the connection', () => {
  it('renews on 401, fires refresh with the rotated token and keeps it (seed)', async () => {
    const { oauth2, res } = await tokens()
    const conn = new Connection({
      oauth2,
      instanceUrl: res.instance_url,
      accessToken: res.access_token,
      refreshToken: res.refresh_token,
    })
    const refresh = vi.fn()
    conn.on('refresh', refresh)
    ctx.emu.expireSessions()

    await conn.identity()

    expect(refresh).toHaveBeenCalledTimes(1)
    const [accessToken, response] = refresh.mock.calls[0] as [string, TokenResponse]
    expect(accessToken).toBe(conn.accessToken)
    expect(ctx.emu.isValidAccessToken(accessToken)).toBe(true)
    expect(response.access_token).toBe(accessToken)
    expect(response.refresh_token).toEqual(expect.any(String))
    expect(response.refresh_token).not.toBe(res.refresh_token)
    expect(conn.refreshToken).toBe(response.refresh_token)
    expect(conn.userInfo?.id).toBeDefined()
  })

  it('uses the rotated refresh token next time, never the old one', async () => {
    const { oauth2, res } = await tokens()
    const conn = new Connection({
      oauth2,
      instanceUrl: res.instance_url,
      accessToken: res.access_token,
      refreshToken: res.refresh_token,
    })
    const seen: string[] = []
    conn.on('refresh', (_token, r) => seen.push((r as TokenResponse).refresh_token as string))
    for (let i = 0; i < 3; i++) {
      ctx.emu.expireSessions()
      await conn.request('query?q=SELECT+Id+FROM+User')
    }
    expect(ctx.emu.count('token', 'refresh_token')).toBe(3)
    expect(new Set([res.refresh_token, ...seen]).size).toBe(4)
    expect(conn.refreshToken).toBe(seen[2])
    // Had an old token been replayed, the emulator would have revoked the whole chain.
    expect(ctx.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
  })

  it('sends each refresh token exactly once, in rotation order', async () => {
    const { oauth2, res } = await tokens()
    const sent: string[] = []
    const recording: typeof fetch = async (input, init) => {
      const body = new URLSearchParams(typeof init?.body === 'string' ? init.body : '')
      if (body.get('grant_type') === 'refresh_token') sent.push(body.get('refresh_token') ?? '')
      return ctx.emu.fetch(input, init)
    }
    const conn = new Connection({
      oauth2,
      instanceUrl: res.instance_url,
      accessToken: res.access_token,
      refreshToken: res.refresh_token,
      fetch: recording,
    })
    const issued: string[] = []
    conn.on('refresh', (_token, r) => issued.push((r as TokenResponse).refresh_token as string))
    for (let i = 0; i < 3; i++) {
      ctx.emu.expireSessions()
      await conn.request('query?q=SELECT+Id+FROM+User')
    }
    expect(sent).toEqual([res.refresh_token, issued[0], issued[1]])
    expect(conn.refreshToken).toBe(issued[2])
  })

  it('renews a connection that has only a refresh token', async () => {
    const { oauth2, res } = await tokens()
    const conn = new Connection({
      oauth2,
      instanceUrl: res.instance_url,
      refreshToken: res.refresh_token,
    })
    await conn.identity()
    expect(ctx.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
  })

  it('does not renew without a refresh token: the 401 surfaces', async () => {
    const oauth2 = newOAuth2()
    const res = await oauth2.authenticate(USERNAME, PASSWORD)
    const conn = new Connection({
      oauth2,
      instanceUrl: res.instance_url,
      accessToken: res.access_token,
    })
    expect(
      oauth2.renewSession({} as never, {
        accessToken: 'x',
        instanceUrl: res.instance_url,
        kind: 'oauth2',
      }),
    ).toBeUndefined()
    ctx.emu.expireSessions()
    await expect(conn.request('query?q=SELECT+Id+FROM+User')).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
      status: 401,
    })
    expect(ctx.emu.count('token', 'refresh_token')).toBe(0)
  })

  it('surfaces a dead refresh token as invalid_grant', async () => {
    const conn = await authorizedConnection(ctx.emu)
    await newOAuth2().revokeToken(conn.refreshToken as string)
    await expect(conn.identity()).rejects.toMatchObject({ errorCode: 'invalid_grant', status: 400 })
  })

  it('answers conn.authorize({ grant_type: "refresh_token" }) with the held token', async () => {
    const conn = await authorizedConnection(ctx.emu)
    const before = conn.refreshToken
    const refresh = vi.fn()
    conn.on('refresh', refresh)
    await conn.authorize({ grant_type: 'refresh_token' })
    expect(conn.refreshToken).not.toBe(before)
    expect(ctx.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
    expect(refresh).not.toHaveBeenCalled()
  })

  it('keeps the refresh token when the app does not rotate', async () => {
    ctx.emu.addApp({
      clientId: 'NO_ROTATION',
      clientSecret: 'no-rotation-secret',
      redirectUris: ['http://localhost:3000/oauth2/callback'],
      rotateRefreshTokens: false,
    })
    const conn = await authorizedConnection(
      ctx.emu,
      newOAuth2({ clientId: 'NO_ROTATION', clientSecret: 'no-rotation-secret' }),
    )
    const before = conn.refreshToken
    const refresh = vi.fn()
    conn.on('refresh', refresh)
    ctx.emu.expireSessions()
    await conn.identity()
    expect(refresh).toHaveBeenCalledTimes(1)
    const [, response] = refresh.mock.calls[0] as [string, TokenResponse]
    expect(response.refresh_token).toBeUndefined()
    expect(conn.refreshToken).toBe(before)
  })
})
