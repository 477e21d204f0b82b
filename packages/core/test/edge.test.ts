// @vitest-environment edge-runtime
import { createEmulator } from '@sfauth/emulator'
import { describe, expect, it } from 'vitest'
import { Connection, SfAuthError } from '../src/index.js'
import { client, password, passwordFlow, username } from './helpers.js'

// Runs in vitest's edge-runtime environment (the Vercel Edge / WinterCG globals). That
// environment still leaks some Node globals, so dist.test.ts checks the built code statically
// and the runtime matrix (test/runtimes) runs core in workerd, Deno, Bun and Chromium.
describe('core in an edge runtime', () => {
  it('logs in, calls the API, renews once, and logs out', async () => {
    const emu = createEmulator()
    const conn = new Connection({ oauth2: client, flows: [passwordFlow()], fetch: emu.fetch })
    const info = await conn.login(username, password)
    expect(info.organizationId).toMatch(/^00D/)
    await conn.request('/services/data')
    emu.expireSessions()
    let refreshed = 0
    conn.on('refresh', () => refreshed++)
    await Promise.all([conn.request('/services/data'), conn.request('/services/data')])
    expect(refreshed).toBe(1)
    expect(emu.count('token', 'password')).toBe(2)
    const token = conn.accessToken as string
    await conn.logout()
    expect(emu.isValidAccessToken(token)).toBe(false)
  })

  it('reports Salesforce errors as SfAuthError', async () => {
    const emu = createEmulator()
    const conn = new Connection({ oauth2: client, flows: [passwordFlow()], fetch: emu.fetch })
    const err = await conn.login(username, 'nope').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect((err as SfAuthError).errorCode).toBe('invalid_grant')
  })
})
