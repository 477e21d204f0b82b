import { Connection, type TokenResponse } from '@sfauth/core'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { jwtBearer } from '../src/index.js'
import {
  CLIENT_ID,
  connect,
  emulatorFor,
  GRANT,
  generateKeys,
  INSTANCE,
  USERNAME,
  useEmulator,
} from './helpers.js'

const keys = await generateKeys()
const env = useEmulator(() => emulatorFor({ publicKey: keys.spki }))
const QUERY = 'query?q=SELECT+Id+FROM+User'
const signing = { clientId: CLIENT_ID, username: USERNAME, privateKey: keys.pkcs1 }

type QueryResult = { records: { Username: string }[] }

describe('renewal after the session expires', () => {
  it('signs a fresh assertion once for many concurrent requests and fires refresh', async () => {
    const { conn, tokenRequests } = connect(signing)
    await conn.authorize({ grant_type: GRANT })
    const first = conn.accessToken as string
    const refreshes: [string, unknown][] = []
    conn.on('refresh', (accessToken, res) => refreshes.push([accessToken, res]))
    env.emu.expireSessions()

    const results = await Promise.all(
      Array.from({ length: 12 }, () => conn.request<QueryResult>(QUERY)),
    )

    expect(results.map((r) => r.records[0]?.Username)).toEqual(Array(12).fill(USERNAME))
    expect(env.emu.count('token', GRANT)).toBe(2)
    const renewed = conn.accessToken as string
    expect(renewed).not.toBe(first)
    expect(env.emu.isValidAccessToken(renewed)).toBe(true)
    expect(refreshes).toHaveLength(1)
    const [accessToken, res] = refreshes[0] as [string, TokenResponse]
    expect(accessToken).toBe(renewed)
    expect(res.access_token).toBe(renewed)
    expect(decodeJwt(tokenRequests[1]?.get('assertion') as string)).toMatchObject({
      iss: CLIENT_ID,
      sub: USERNAME,
      aud: 'https://login.salesforce.com',
    })
  })

  it('renews again on the next expiry, and never loops when renewal fails', async () => {
    const { conn } = connect(signing)
    await conn.authorize({ grant_type: GRANT })
    env.emu.expireSessions()
    await conn.request(QUERY)
    env.emu.expireSessions()
    await conn.request(QUERY)
    expect(env.emu.count('token', GRANT)).toBe(3)

    // The app loses the certificate: renewal is refused once, and the request fails with it.
    env.emu.addApp({ clientId: CLIENT_ID, publicKey: (await generateKeys()).spki })
    env.emu.expireSessions()
    const err = await conn.request(QUERY).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/^invalid assertion\. Hint:/)
    expect(env.emu.count('token', GRANT)).toBe(4)
  })

  it('renews a session it did not make (passed in, or restored) when it can sign', async () => {
    const conn = new Connection({
      instanceUrl: INSTANCE,
      accessToken: 'stale-token-from-yesterday',
      oauth2: { clientId: CLIENT_ID },
      flows: [jwtBearer({ username: USERNAME, privateKey: keys.jwk })],
    })
    const result = await conn.request<QueryResult>(QUERY)
    expect(result.records[0]?.Username).toBe(USERNAME)
    expect(env.emu.count('token', GRANT)).toBe(1)
  })
})

describe('logout', () => {
  it('revokes the access token and clears the session', async () => {
    const { conn } = connect(signing)
    await conn.authorize({ grant_type: GRANT })
    const token = conn.accessToken as string
    await conn.logout()
    expect(env.emu.isValidAccessToken(token)).toBe(false)
    expect(env.emu.count('revoke')).toBe(1)
    expect(conn.accessToken).toBeUndefined()
  })

  it('takes a callback, and counts an already dead token as logged out', async () => {
    const { conn } = connect(signing)
    await conn.authorize({ grant_type: GRANT })
    env.emu.expireSessions()
    await new Promise<void>((resolve, reject) =>
      conn.logout((err) => (err ? reject(err) : resolve())),
    )
    expect(conn.accessToken).toBeUndefined()
  })
})
