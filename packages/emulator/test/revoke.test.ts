import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '../src/index.js'
import { accessToken, CALLBACK, LOGIN, postForm, soap, soapLoginBody, token } from './helpers.js'

const revoke = (emu: ReturnType<typeof createEmulator>, value: string) =>
  postForm(emu, `${LOGIN}/services/oauth2/revoke`, { token: value })

async function expectInvalidToken(res: Response) {
  expect(res.status).toBe(400)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const body = (await res.json()) as Record<string, string>
  expect(body.error).toBe('invalid_token')
  expect(typeof body.error_description).toBe('string')
}

describe('revoke', () => {
  it('revokes an access token: 200 with an empty body', async () => {
    const emu = createEmulator()
    const access = await accessToken(emu)
    const res = await revoke(emu, access)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
    expect(emu.isValidAccessToken(access)).toBe(false)
  })

  it('accepts GET ?token= (as nforce sends it)', async () => {
    const emu = createEmulator()
    const access = await accessToken(emu)
    const res = await emu.fetch(
      `${LOGIN}/services/oauth2/revoke?token=${encodeURIComponent(access)}`,
    )
    expect(res.status).toBe(200)
    expect(emu.isValidAccessToken(access)).toBe(false)
  })

  it('revokes a refresh token together with its access tokens', async () => {
    const emu = createEmulator()
    const code = emu.approve({
      clientId: DEFAULT_APP.clientId,
      username: DEFAULT_USER.username,
      redirectUri: CALLBACK,
      scope: 'api refresh_token',
    })
    const tokens = (await (
      await token(emu, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        client_id: DEFAULT_APP.clientId,
        client_secret: DEFAULT_APP.clientSecret!,
      })
    ).json()) as Record<string, string>
    expect((await revoke(emu, tokens.refresh_token!)).status).toBe(200)
    expect(emu.isValidAccessToken(tokens.access_token!)).toBe(false)
    const refresh = await token(emu, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: DEFAULT_APP.clientId,
      client_secret: DEFAULT_APP.clientSecret!,
    })
    expect(refresh.status).toBe(400)
  })

  it('revokes a SOAP session id', async () => {
    const emu = createEmulator()
    const res = await soap(
      emu,
      `${LOGIN}/services/Soap/u/64.0`,
      soapLoginBody(DEFAULT_USER.username, DEFAULT_USER.password + DEFAULT_USER.securityToken),
    )
    const sessionId = /<sessionId>([^<]+)</.exec(await res.text())![1]!
    expect((await revoke(emu, sessionId)).status).toBe(200)
    expect(emu.isValidAccessToken(sessionId)).toBe(false)
  })

  it('answers 400 invalid_token for an unknown, missing or already revoked token', async () => {
    const emu = createEmulator()
    const access = await accessToken(emu)
    await revoke(emu, access)
    await expectInvalidToken(await revoke(emu, access))
    await expectInvalidToken(await revoke(emu, 'nope'))
    await expectInvalidToken(await postForm(emu, `${LOGIN}/services/oauth2/revoke`, {}))
  })

  it('answers JSONP when asked for a callback', async () => {
    const emu = createEmulator()
    const access = await accessToken(emu)
    const ok = await emu.fetch(`${LOGIN}/services/oauth2/revoke?token=${access}&callback=done`)
    expect(ok.headers.get('content-type')).toMatch(/^application\/javascript/)
    expect(await ok.text()).toBe('done({})')
    const bad = await emu.fetch(`${LOGIN}/services/oauth2/revoke?token=nope&callback=done`)
    expect(await bad.text()).toBe('done({"error":"invalid_token"})')
  })
})
