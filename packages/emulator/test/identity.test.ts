import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_USER } from '../src/index.js'
import { accessToken, LOGIN, MY_DOMAIN, postForm } from './helpers.js'

const idPath = `/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`

async function expectBadToken(res: Response, body = 'Bad_OAuth_Token', status = 403) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
  expect(await res.text()).toBe(body)
}

describe('userinfo', () => {
  it('answers OpenID Connect claims for a Bearer token', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    const res = await emu.fetch(`${MY_DOMAIN}/services/oauth2/userinfo`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      sub: `${LOGIN}${idPath}`,
      user_id: DEFAULT_USER.userId,
      organization_id: DEFAULT_USER.orgId,
      preferred_username: DEFAULT_USER.username,
      email: DEFAULT_USER.email,
      name: DEFAULT_USER.fullName,
      active: true,
    })
    expect((body.urls as Record<string, string>).rest).toBe(
      `${MY_DOMAIN}/services/data/v{version}/`,
    )
  })

  it('accepts the oauth_token parameter', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    const res = await emu.fetch(`${LOGIN}/services/oauth2/userinfo?oauth_token=${token}`)
    expect(res.status).toBe(200)
  })

  it('answers 403 Bad_OAuth_Token in plain text for a dead token', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    emu.expireSessions()
    await expectBadToken(
      await emu.fetch(`${LOGIN}/services/oauth2/userinfo`, {
        headers: { Authorization: `Bearer ${token}` },
      }),
    )
    await expectBadToken(
      await emu.fetch(`${LOGIN}/services/oauth2/userinfo`, {
        headers: { Authorization: 'Bearer 00Dnope!nope' },
      }),
    )
  })

  it('answers 403 Missing_OAuth_Token without a token', async () => {
    await expectBadToken(
      await createEmulator().fetch(`${LOGIN}/services/oauth2/userinfo`),
      'Missing_OAuth_Token',
    )
  })
})

describe('identity URL', () => {
  it('answers GET with the identity of the token user', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    const res = await emu.fetch(`${LOGIN}${idPath}`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      id: `${LOGIN}${idPath}`,
      user_id: DEFAULT_USER.userId,
      organization_id: DEFAULT_USER.orgId,
      username: DEFAULT_USER.username,
      display_name: DEFAULT_USER.fullName,
      email: DEFAULT_USER.email,
      active: true,
      user_type: 'STANDARD',
    })
    const urls = body.urls as Record<string, string>
    expect(urls.rest).toBe(`${MY_DOMAIN}/services/data/v{version}/`)
    expect(urls.partner).toBe(
      `${MY_DOMAIN}/services/Soap/u/{version}/${DEFAULT_USER.orgId.slice(0, 15)}`,
    )
  })

  it('fills in the version parameter', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    const res = await emu.fetch(`${LOGIN}${idPath}?version=62.0&oauth_token=${token}`)
    const body = (await res.json()) as { urls: Record<string, string> }
    expect(body.urls.rest).toBe(`${MY_DOMAIN}/services/data/v62.0/`)
  })

  it('answers POST with oauth_token in the body (as omniauth does)', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    const res = await postForm(emu, `${LOGIN}${idPath}`, { oauth_token: token })
    expect(res.status).toBe(200)
  })

  it('accepts 15-character ids', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    const short = `/id/${DEFAULT_USER.orgId.slice(0, 15)}/${DEFAULT_USER.userId.slice(0, 15)}`
    const res = await emu.fetch(`${LOGIN}${short}?oauth_token=${token}`)
    expect(res.status).toBe(200)
  })

  it('answers 403 Bad_OAuth_Token for a dead token', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    emu.expireSession(token)
    await expectBadToken(
      await emu.fetch(`${LOGIN}${idPath}`, { headers: { Authorization: `Bearer ${token}` } }),
    )
  })

  it('answers Wrong_Org and Bad_Id for ids outside the session', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    await expectBadToken(
      await emu.fetch(`${LOGIN}/id/00D000000000001AAA/${DEFAULT_USER.userId}?oauth_token=${token}`),
      'Wrong_Org',
    )
    await expectBadToken(
      await emu.fetch(`${LOGIN}/id/${DEFAULT_USER.orgId}/005000000000001AAA?oauth_token=${token}`),
      'Bad_Id',
      404,
    )
  })
})
