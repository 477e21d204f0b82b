import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_USER } from '../src/index.js'
import { accessToken, MY_DOMAIN } from './helpers.js'

const get = (emu: ReturnType<typeof createEmulator>, path: string, token?: string) =>
  emu.fetch(`${MY_DOMAIN}${path}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  })

async function expect401(res: Response) {
  expect(res.status).toBe(401)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  expect(await res.json()).toEqual([
    { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
  ])
}

describe('/services/data', () => {
  it('lists versions', async () => {
    const emu = createEmulator()
    const res = await get(emu, '/services/data', await accessToken(emu))
    expect(res.status).toBe(200)
    const versions = (await res.json()) as Array<{ version: string; url: string; label: string }>
    expect(versions.at(-1)).toEqual({
      label: 'API 66.0',
      url: '/services/data/v66.0',
      version: '66.0',
    })
    expect(versions[0]?.version).toBe('31.0')
    expect(versions).toHaveLength(36)
  })

  it('serves every supported version: jsforce 50.0, simple-salesforce 59.0, the newest 66.0', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    for (const version of ['31.0', '50.0', '59.0', '65.0', '66.0']) {
      const res = await get(emu, `/services/data/v${version}/query?q=SELECT+Id+FROM+User`, token)
      expect(res.status, version).toBe(200)
    }
    expect((await get(emu, '/services/data/v67.0/', token)).status).toBe(404)
  })

  it('answers 410 GONE for the retired versions 21.0 to 30.0', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    for (const version of ['21.0', '30.0']) {
      const res = await get(emu, `/services/data/v${version}/`, token)
      expect(res.status, version).toBe(410)
      expect(await res.json()).toEqual([
        { errorCode: 'GONE', message: `Version ${version} of the API is no longer supported` },
      ])
    }
    expect((await get(emu, '/services/data/v20.0/', token)).status).toBe(404)
  })

  it('serves every resource its resource map lists, and lists nothing else', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    const map = (await (await get(emu, '/services/data/v64.0', token)).json()) as Record<
      string,
      string
    >
    expect(Object.keys(map).sort()).toEqual(['identity', 'limits', 'query', 'queryAll'])
    for (const [name, link] of Object.entries(map)) {
      const url = new URL(link, MY_DOMAIN)
      if (name.startsWith('query')) url.searchParams.set('q', 'SELECT Id FROM User')
      const res = await emu.fetch(url, { headers: { Authorization: `Bearer ${token}` } })
      expect(res.status, name).toBe(200)
    }
    const limits = (await (await get(emu, '/services/data/v64.0/limits', token)).json()) as Record<
      string,
      { Max: number; Remaining: number }
    >
    expect(limits.DailyApiRequests).toEqual({ Max: 15000, Remaining: 15000 })
  })

  it('answers the resource map of a version', async () => {
    const emu = createEmulator()
    const res = await get(emu, '/services/data/v64.0/', await accessToken(emu))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ query: '/services/data/v64.0/query' })
  })

  it('answers a query with the session user', async () => {
    const emu = createEmulator()
    const res = await get(
      emu,
      `/services/data/v64.0/query?q=${encodeURIComponent('SELECT Id FROM User')}`,
      await accessToken(emu),
    )
    expect(res.status).toBe(200)
    const body = (await res.json()) as { totalSize: number; done: boolean; records: unknown[] }
    expect(body.totalSize).toBe(1)
    expect(body.done).toBe(true)
    expect(body.records[0]).toMatchObject({
      attributes: { type: 'User' },
      Id: DEFAULT_USER.userId,
      Username: DEFAULT_USER.username,
    })
  })

  it('answers 404 NOT_FOUND for anything else', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    for (const path of [
      '/services/data/v64.0/sobjects/Account/001',
      '/services/data/v12.0',
      '/services/data/v64.0/search',
    ]) {
      const res = await get(emu, path, token)
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      expect(await res.json()).toEqual([
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      ])
    }
  })

  it('answers 401 INVALID_SESSION_ID without a token, for a bad one and after expiry', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    await expect401(await get(emu, '/services/data/v64.0/query?q=x'))
    await expect401(await get(emu, '/services/data/v64.0/query?q=x', `${token}x`))
    emu.expireSessions()
    await expect401(await get(emu, '/services/data/v64.0/query?q=x', token))
  })

  it('takes the token from the Authorization header only', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    await expect401(await get(emu, `/services/data/v64.0?oauth_token=${token}`))
    const legacy = await emu.fetch(`${MY_DOMAIN}/services/data/v64.0`, {
      headers: { Authorization: `OAuth ${token}` },
    })
    expect(legacy.status).toBe(200)
  })

  it('expires sessions after two hours without use, and use keeps them alive', async () => {
    let now = 1_700_000_000_000
    const emu = createEmulator({ now: () => now })
    const token = await accessToken(emu)
    now += 7_000_000
    expect((await get(emu, '/services/data', token)).status).toBe(200)
    now += 7_000_000
    expect((await get(emu, '/services/data', token)).status).toBe(200)
    now += 7_200_001
    await expect401(await get(emu, '/services/data', token))
  })

  it('does not keep a session alive by asking isValidAccessToken', async () => {
    let now = 1_700_000_000_000
    const emu = createEmulator({ now: () => now })
    const token = await accessToken(emu)
    now += 7_000_000
    expect(emu.isValidAccessToken(token)).toBe(true)
    now += 7_000_000
    expect(emu.isValidAccessToken(token)).toBe(false)
    await expect401(await get(emu, '/services/data', token))
  })
})
