/**
 * jsforce 3.10.16 for queries, @sfauth for the session, against the emulator on loopback with
 * refresh token rotation on: the handoff survives three expiries, jsforce alone fails on the second.
 */
import { Connection } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { Connection as JsforceConnection, OAuth2 as JsforceOAuth2 } from 'jsforce'
import { describe, expect, it } from 'vitest'
import { jsforceOptions } from '../src/handoff.js'
import { salesforceFetch } from '../src/with-ofetch.js'

const redirectUri = 'http://localhost:3000/oauth2/callback'
const server = useLoopbackEmulator(() =>
  createEmulator({
    apps: [{ ...DEFAULT_APP, redirectUris: [redirectUri], rotateRefreshTokens: true }],
  }),
)
const client = {
  clientId: DEFAULT_APP.clientId,
  clientSecret: DEFAULT_APP.clientSecret as string,
  redirectUri,
}
const approve = () =>
  server.emu.approve({ clientId: client.clientId, username: DEFAULT_USER.username, redirectUri })

async function sfauthLogin(): Promise<Connection> {
  const conn = new Connection({ oauth2: new OAuth2({ ...client, loginUrl: server.url }) })
  await conn.authorize(approve())
  return conn
}

async function queryUsername(conn: JsforceConnection): Promise<string | undefined> {
  const result = await conn.query<{ Username: string }>('SELECT Id, Username FROM User')
  return result.records[0]?.Username
}

describe('jsforce handoff (rotation on)', () => {
  it('queries through three expiries: every renewal goes through conn.renew()', async () => {
    const conn = await sfauthLogin()
    const refreshTokens = [conn.refreshToken]
    const jsf = new JsforceConnection(jsforceOptions(conn))
    const jsforceRefreshed: string[] = []
    jsf.on('refresh', (accessToken: string) => jsforceRefreshed.push(accessToken))
    for (let expiry = 1; expiry <= 3; expiry++) {
      server.emu.expireSessions()
      expect(await queryUsername(jsf)).toBe(DEFAULT_USER.username)
      refreshTokens.push(conn.refreshToken)
      expect(jsforceRefreshed).toHaveLength(expiry)
      expect(jsf.accessToken).toBe(conn.accessToken)
    }
    expect(server.emu.count('token', 'refresh_token')).toBe(3)
    // Rotation on: every renewal got a new refresh token, and @sfauth kept each one.
    expect(new Set(refreshTokens).size).toBe(4)
  })

  it('jsforce alone, with its own oauth2 refresh, fails on the second expiry', async () => {
    const jsf = new JsforceConnection({
      oauth2: new JsforceOAuth2({ ...client, loginUrl: server.url }),
    })
    await jsf.authorize(approve())
    server.emu.expireSessions()
    expect(await queryUsername(jsf)).toBe(DEFAULT_USER.username)
    server.emu.expireSessions()
    await expect(queryUsername(jsf)).rejects.toThrow(/refresh|invalid_grant|expired/i)
  })

  it('a renewal jsforce asks for is shared with conn.fetch callers: one token call', async () => {
    const conn = await sfauthLogin()
    const jsf = new JsforceConnection(jsforceOptions(conn))
    const api = salesforceFetch(conn)
    server.emu.expireSessions()
    const [username, ...pages] = await Promise.all([
      queryUsername(jsf),
      ...Array.from({ length: 10 }, () =>
        api<{ totalSize: number }>('query', { query: { q: 'SELECT Id FROM User' } }),
      ),
    ])
    expect(username).toBe(DEFAULT_USER.username)
    expect(pages.map((p) => (p as { totalSize: number }).totalSize)).toEqual(Array(10).fill(1))
    expect(server.emu.count('token', 'refresh_token')).toBe(1)
  })
})

describe('ofetch through conn.fetch', () => {
  it('gets renewal for free: an expired session is renewed and the call retried', async () => {
    const conn = await sfauthLogin()
    const before = conn.accessToken
    const api = salesforceFetch(conn)
    server.emu.expireSessions()
    const page = await api<{ totalSize: number; records: { Username: string }[] }>('query', {
      query: { q: 'SELECT Id, Username FROM User' },
    })
    expect(page.records[0]?.Username).toBe(DEFAULT_USER.username)
    expect(conn.accessToken).not.toBe(before)
    expect(server.emu.count('token', 'refresh_token')).toBe(1)
  })
})
