import { Connection } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SESSION_KEY, session } from '../src/index.js'
import {
  approve,
  LOGIN_URL,
  newEmulator,
  passwordToken,
  QUERY,
  refreshStatus,
  refreshTokenFlow,
  restStatus,
  SECRETS,
  soapSession,
  USER,
} from './helpers.js'

const emulator = useMswEmulator(newEmulator)

function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret)
}

describe('persistence with unstorage (memory driver)', () => {
  it('saves after authorize; a second Connection restores the session and uses it', async () => {
    const store = createStorage({ driver: memoryDriver() })
    const first = new Connection({ flows: [refreshTokenFlow(), session({ store })] })
    await first.authorize(approve(emulator.emu))

    const saved = await store.getItem(DEFAULT_SESSION_KEY)
    expect(saved).toEqual({
      v: 1,
      accessToken: first.accessToken,
      instanceUrl: first.instanceUrl,
      refreshToken: first.refreshToken,
      userInfo: first.userInfo,
      kind: 'oauth2',
      issuedAt: expect.any(Number),
    })
    expectNoSecrets(JSON.stringify(saved))

    const tokenCalls = emulator.emu.count('token')
    const second = new Connection({ flows: [session({ store })] })
    expect(second.accessToken).toBeUndefined()
    const result = await second.request<{ records: { Username: string }[] }>(
      'query?q=SELECT+Username+FROM+User',
    )

    expect(result.records[0]?.Username).toBe(USER.username)
    expect(second.accessToken).toBe(first.accessToken)
    expect(second.refreshToken).toBe(first.refreshToken)
    expect(second.userInfo).toEqual(first.userInfo)
    expect(emulator.emu.count('token')).toBe(tokenCalls)
  })

  it('saves every renewal, rotated refresh token included, and fires refresh', async () => {
    const store = createStorage({ driver: memoryDriver() })
    const conn = new Connection({ flows: [refreshTokenFlow(), session({ store })] })
    await conn.authorize(approve(emulator.emu))
    const before = { accessToken: conn.accessToken, refreshToken: conn.refreshToken }
    const refreshed: string[] = []
    conn.on('refresh', (accessToken) => refreshed.push(accessToken))

    emulator.emu.expireSessions()
    await conn.request(QUERY)

    expect(emulator.emu.count('token', 'refresh_token')).toBe(1)
    expect(conn.accessToken).not.toBe(before.accessToken)
    expect(conn.refreshToken).not.toBe(before.refreshToken)
    expect(refreshed).toEqual([conn.accessToken])
    const saved = (await store.getItem(DEFAULT_SESSION_KEY)) as Record<string, unknown>
    expect(saved.accessToken).toBe(conn.accessToken)
    expect(saved.refreshToken).toBe(conn.refreshToken)
    // The rotated-out refresh token is dead: only the saved one can renew.
    expect(await refreshStatus(LOGIN_URL, before.refreshToken as string)).toBe(400)
  })

  it('restores an expired session and renews it through a registered renewing flow', async () => {
    const store = createStorage({ driver: memoryDriver() })
    const first = new Connection({ flows: [refreshTokenFlow(), session({ store })] })
    await first.authorize(approve(emulator.emu))
    emulator.emu.expireSessions()

    const second = new Connection({ flows: [session({ store }), refreshTokenFlow()] })
    await second.request(QUERY)

    expect(emulator.emu.count('token', 'refresh_token')).toBe(1)
    expect(second.accessToken).not.toBe(first.accessToken)
    expect(
      ((await store.getItem(DEFAULT_SESSION_KEY)) as { accessToken: string }).accessToken,
    ).toBe(second.accessToken)
  })

  it('saves what identity() learns about a session passed in the options', async () => {
    const store = createStorage({ driver: memoryDriver() })
    const { serverUrl, sessionId } = await soapSession()
    const conn = new Connection({ serverUrl, sessionId, flows: [session({ store })] })

    await conn.identity()

    expect(await store.getItem(DEFAULT_SESSION_KEY)).toEqual({
      v: 1,
      accessToken: sessionId,
      instanceUrl: new URL(serverUrl).origin,
      userInfo: conn.userInfo,
      kind: 'soap',
    })
    // A restored SOAP session is still logged out the SOAP way.
    const restored = new Connection({ flows: [session({ store })] })
    await restored.logout()
    expect(emulator.emu.count('soap-logout')).toBe(1)
    expect(await restStatus(new URL(serverUrl).origin, sessionId)).toBe(401)
  })

  it('logout invalidates the restored session on the server and removes it from the store', async () => {
    const store = createStorage({ driver: memoryDriver() })
    const first = new Connection({ flows: [refreshTokenFlow(), session({ store })] })
    await first.authorize(approve(emulator.emu))
    const { accessToken, refreshToken, instanceUrl } = first

    const second = new Connection({ flows: [session({ store })] })
    await second.logout()

    expect(await store.hasItem(DEFAULT_SESSION_KEY)).toBe(false)
    expect(second.accessToken).toBeUndefined()
    expect(await restStatus(instanceUrl as string, accessToken as string)).toBe(401)
    expect(await refreshStatus(LOGIN_URL, refreshToken as string)).toBe(400)
  })

  it('keeps sessions apart under their own keys', async () => {
    const store = createStorage({ driver: memoryDriver() })
    const token = await passwordToken()
    const { serverUrl, sessionId } = await soapSession()
    const a = new Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      flows: [session({ store, key: 'org-a' })],
    })
    const b = new Connection({ serverUrl, sessionId, flows: [session({ store, key: 'org-b' })] })
    await Promise.all([a.identity(), b.identity()])

    const restoredA = new Connection({ flows: [session({ store, key: 'org-a' })] })
    const restoredB = new Connection({ flows: [session({ store, key: 'org-b' })] })
    await Promise.all([restoredA.identity(), restoredB.identity()])

    expect(restoredA.accessToken).toBe(token.access_token)
    expect(restoredB.accessToken).toBe(sessionId)
    expect(await store.hasItem(DEFAULT_SESSION_KEY)).toBe(false)
  })
})
