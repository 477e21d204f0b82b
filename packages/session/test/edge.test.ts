// @vitest-environment edge-runtime
import { Connection } from '@sfauth/core'
import { testFlow } from '@sfauth/test-kit'
import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SESSION_KEY, session } from '../src/index.js'
import { accessTokenReuse, sessionIdReuse } from './flow.js'
import { approve, newEmulator, QUERY, refreshTokenFlow, SECRETS } from './helpers.js'

// Runs in vitest's edge-runtime environment (the Vercel Edge / WinterCG globals), with the
// emulator as the connection's fetch: nothing leaves the process.
testFlow(accessTokenReuse)
testFlow(sessionIdReuse)

describe('session() in an edge runtime', () => {
  it('saves, restores, renews and logs out a session through unstorage', async () => {
    const emu = newEmulator()
    const store = createStorage({ driver: memoryDriver() })
    const first = new Connection({
      fetch: emu.fetch,
      flows: [refreshTokenFlow(), session({ store })],
    })
    await first.authorize(approve(emu))

    emu.expireSessions()
    const second = new Connection({
      fetch: emu.fetch,
      flows: [session({ store }), refreshTokenFlow()],
    })
    await second.request(QUERY)
    expect(emu.count('token', 'refresh_token')).toBe(1)
    const saved = await store.getItem(DEFAULT_SESSION_KEY)
    expect(saved).toMatchObject({ accessToken: second.accessToken, kind: 'oauth2' })
    for (const secret of SECRETS) expect(JSON.stringify(saved)).not.toContain(secret)

    const token = second.accessToken as string
    await second.logout()
    expect(emu.isValidAccessToken(token)).toBe(false)
    expect(await store.hasItem(DEFAULT_SESSION_KEY)).toBe(false)
  })
})
