import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmulator } from '../src/index.js'
import { emulatorHandlers } from '../src/msw.js'
import { passwordFields } from './helpers.js'

const emu = createEmulator({ instanceUrl: 'https://globex.example.com' })
const server = setupServer(...emulatorHandlers(emu))

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

const passwordGrant = (origin: string) =>
  fetch(`${origin}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(passwordFields),
  })

describe('msw handlers', () => {
  it('intercept login.salesforce.com through global fetch', async () => {
    emu.resetCalls()
    const res = await passwordGrant('https://login.salesforce.com')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { instance_url: string; id: string; access_token: string }
    expect(body.instance_url).toBe('https://globex.example.com')
    expect(body.id.startsWith('https://login.salesforce.com/id/')).toBe(true)
    expect(emu.count('token', 'password')).toBe(1)
  })

  it('intercept test.salesforce.com, My Domains, sandboxes and Experience Cloud sites', async () => {
    for (const origin of [
      'https://test.salesforce.com',
      'https://acme.my.salesforce.com',
      'https://acme--uat.sandbox.my.salesforce.com',
      'https://acme.my.site.com',
    ]) {
      expect((await passwordGrant(origin)).status).toBe(200)
    }
  })

  it('intercept the configured instance URL, where the session works', async () => {
    const { access_token } = (await (
      await passwordGrant('https://login.salesforce.com')
    ).json()) as {
      access_token: string
    }
    const ok = await fetch(
      'https://globex.example.com/services/data/v64.0/query?q=SELECT+Id+FROM+User',
      {
        headers: { Authorization: `Bearer ${access_token}` },
      },
    )
    expect(ok.status).toBe(200)
    emu.expireSessions()
    const expired = await fetch('https://globex.example.com/services/data/v64.0/query?q=x', {
      headers: { Authorization: `Bearer ${access_token}` },
    })
    expect(expired.status).toBe(401)
  })

  it('leave other hosts alone', async () => {
    await expect(fetch('https://example.org/services/oauth2/token')).rejects.toThrow()
  })
})
