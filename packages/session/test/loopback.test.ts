import { Connection, SfAuthError } from '@sfauth/core'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SESSION_KEY, session } from '../src/index.js'
import {
  approve,
  newEmulator,
  passwordToken,
  QUERY,
  refreshTokenFlow,
  restStatus,
  SECRETS,
  soapSession,
} from './helpers.js'

/** End to end: real HTTP to the emulator listening on 127.0.0.1, no interception. */
const server = useLoopbackEmulator(newEmulator)

describe('end to end over loopback HTTP', () => {
  it('session ID: request, identity, logout; the old session then gets 401', async () => {
    const { serverUrl, sessionId } = await soapSession(server.url)
    const conn = new Connection({ serverUrl, sessionId, flows: [session()] })

    expect(conn.instanceUrl).toBe(server.url)
    await conn.request(QUERY)
    expect((await conn.identity()).user_id).toBe(conn.userInfo?.id)
    await conn.logout()

    expect(server.emu.count('soap-logout')).toBe(1)
    expect(await restStatus(server.url, sessionId)).toBe(401)
    await expect(conn.request(QUERY)).rejects.toBeInstanceOf(SfAuthError)
  })

  it('access token: identity good, then revoked by logout, then identity bad', async () => {
    const token = await passwordToken(server.url)
    const conn = new Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      flows: [session()],
    })
    await conn.identity()
    await conn.logout()

    const again = new Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      flows: [session()],
    })
    await expect(again.identity()).rejects.toMatchObject({
      errorCode: 'Bad_OAuth_Token',
      status: 403,
    })
  })

  it('a saved session is restored by another connection and renewed when it expires', async () => {
    const store = createStorage({ driver: memoryDriver() })
    const first = new Connection({
      loginUrl: server.url,
      flows: [refreshTokenFlow(), session({ store })],
    })
    await first.authorize(approve(server.emu))
    server.emu.expireSessions()

    const second = new Connection({
      loginUrl: server.url,
      flows: [session({ store }), refreshTokenFlow()],
    })
    await second.request(QUERY)

    expect(server.emu.count('token', 'refresh_token')).toBe(1)
    const saved = await store.getItem(DEFAULT_SESSION_KEY)
    expect(saved).toMatchObject({
      accessToken: second.accessToken,
      refreshToken: second.refreshToken,
    })
    for (const secret of SECRETS) expect(JSON.stringify(saved)).not.toContain(secret)
  })
})
