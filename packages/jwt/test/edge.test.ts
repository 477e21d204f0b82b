// @vitest-environment edge-runtime
import { Connection } from '@sfauth/core'
import { describe, expect, it } from 'vitest'
import { JWT_BEARER_GRANT_TYPE, jwtBearer } from '../src/index.js'
import { CLIENT_ID, emulatorFor, generateKeys, USERNAME } from './helpers.js'

const keys = await generateKeys()

// vitest's edge-runtime environment (Vercel Edge / WinterCG globals): the PKCS#1 conversion and
// the signing must work on Web Crypto alone. dist.test.ts checks the built code statically.
describe('@sfauth/jwt in an edge runtime', () => {
  it('signs with a PKCS#1 key, renews once, and logs out', async () => {
    const emu = emulatorFor({ publicKey: keys.spki })
    const conn = new Connection({
      fetch: emu.fetch,
      flows: [jwtBearer({ clientId: CLIENT_ID, username: USERNAME, privateKey: keys.pkcs1 })],
    })
    await conn.authorize({ grant_type: JWT_BEARER_GRANT_TYPE })
    emu.expireSessions()
    let refreshed = 0
    conn.on('refresh', () => refreshed++)
    await Promise.all([conn.request('/services/data'), conn.request('/services/data')])
    expect(refreshed).toBe(1)
    expect(emu.count('token', JWT_BEARER_GRANT_TYPE)).toBe(2)
    const token = conn.accessToken as string
    await conn.logout()
    expect(emu.isValidAccessToken(token)).toBe(false)
  })
})
