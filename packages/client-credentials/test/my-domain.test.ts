import { Connection } from '@sfauth/core'
import { recordingFetch, rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it } from 'vitest'
import { clientCredentials } from '../src/index.js'
import { APP_WITHOUT_USER, CLIENT, MY_DOMAIN, newEmulator } from './helpers.js'

const emulator = useMswEmulator(newEmulator)
const GRANT = { grant_type: 'client_credentials' } as const

describe('the My Domain rule', () => {
  it.each([
    'https://login.salesforce.com',
    'https://login.salesforce.com/',
    'https://LOGIN.Salesforce.COM',
    'https://test.salesforce.com',
    'https://Test.Salesforce.com/',
  ])('refuses %s before sending anything', async (loginUrl) => {
    const wire = recordingFetch()
    const conn = new Connection({
      instanceUrl: MY_DOMAIN,
      oauth2: { ...CLIENT, loginUrl },
      flows: [clientCredentials()],
      fetch: wire.fetch,
    })
    const err = await rejection(conn.authorize(GRANT))
    expect(err.errorCode).toBe('ERR_MY_DOMAIN_REQUIRED')
    expect(err.status).toBeUndefined()
    expect(err.message).toContain('https://MyDomainName.my.salesforce.com')
    expect(err.message).toContain('https://MyDomainName--SandboxName.sandbox.my.salesforce.com')
    expect(err.message).toContain(`instance URL ${MY_DOMAIN} is likely it`)
    expect(wire.requests).toHaveLength(0)
    expect(emulator.emu.count('token')).toBe(0)
  })

  it("refuses the connection's default login URL and its own loginUrl option alike", async () => {
    const byDefault = new Connection({ oauth2: CLIENT, flows: [clientCredentials()] })
    const err = await rejection(byDefault.authorize(GRANT))
    expect(err.errorCode).toBe('ERR_MY_DOMAIN_REQUIRED')
    expect(err.message).not.toContain('is likely it')

    const byOption = new Connection({
      loginUrl: MY_DOMAIN,
      flows: [clientCredentials({ ...CLIENT, loginUrl: 'https://test.salesforce.com' })],
    })
    expect((await rejection(byOption.authorize(GRANT))).errorCode).toBe('ERR_MY_DOMAIN_REQUIRED')
    expect(emulator.emu.count('token')).toBe(0)
  })

  it("keeps Salesforce's invalid_grant and adds the hint when a host it cannot see refuses", async () => {
    // A company proxy in front of login.salesforce.com: the early check cannot know what is behind it.
    const proxy = 'https://salesforce-proxy.example.com'
    const wire = recordingFetch((input, init) => {
      const url = new URL(new Request(input, init).url)
      return fetch(`https://login.salesforce.com${url.pathname}${url.search}`, init)
    })
    const conn = new Connection({
      oauth2: { ...CLIENT, loginUrl: proxy },
      flows: [clientCredentials()],
      fetch: wire.fetch,
    })
    const err = await rejection(conn.authorize(GRANT))
    expect(err.errorCode).toBe('invalid_grant')
    expect(err.status).toBe(400)
    expect(err.message).toMatch(/^request not supported on this domain\. /)
    expect(err.message).toContain('https://MyDomainName.my.salesforce.com')
    expect(err.cause).toMatchObject({ errorCode: 'invalid_grant' })
    expect(wire.requests.map((r) => r.url)).toEqual([`${proxy}/services/oauth2/token`])
    expect(emulator.emu.count('token', 'client_credentials')).toBe(1)
  })

  it('leaves other invalid_grant answers as they are', async () => {
    const conn = new Connection({
      loginUrl: MY_DOMAIN,
      flows: [clientCredentials(APP_WITHOUT_USER)],
    })
    const err = await rejection(conn.authorize(GRANT))
    expect(err.errorCode).toBe('invalid_grant')
    expect(err.message).toBe('no client credentials user enabled')
  })
})
