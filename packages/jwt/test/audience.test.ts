import { useMswEmulator } from '@sfauth/test-kit/msw'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { audienceFor } from '../src/audience.js'
import { CLIENT_ID, connect, emulatorFor, GRANT, generateKeys, USERNAME } from './helpers.js'

const keys = await generateKeys()
const env = useMswEmulator(() => emulatorFor({ publicKey: keys.spki }))

describe('the audience derived from the login URL', () => {
  it.each([
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://acme.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://acme-dev-ed.develop.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://na15.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://ACME--UAT.SANDBOX.MY.SALESFORCE.COM', 'https://test.salesforce.com'],
    ['https://power-ability-1234-dev-ed.scratch.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://cs42.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme.my.site.com', 'https://acme.my.site.com'],
    ['https://acme.my.site.com/partners/', 'https://acme.my.site.com/partners'],
    ['https://acme.force.com/customers', 'https://acme.force.com/customers'],
    ['https://login.acme.com/portal', 'https://login.acme.com/portal'],
    ['http://127.0.0.1:4321', 'http://127.0.0.1:4321'],
    ['http://localhost:4321', 'http://localhost:4321'],
  ])('%s → %s', (loginUrl, audience) => {
    expect(audienceFor(loginUrl)).toBe(audience)
  })
})

async function audienceSentFrom(loginUrl: string, audience?: string): Promise<unknown> {
  const { conn, tokenRequests } = connect(
    { clientId: CLIENT_ID, username: USERNAME, privateKey: keys.pkcs8, audience },
    { loginUrl },
  )
  await conn.authorize({ grant_type: GRANT })
  expect(env.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
  return decodeJwt(tokenRequests[0]?.get('assertion') as string).aud
}

describe('the audience Salesforce accepts', () => {
  it('sandbox login URLs sign for https://test.salesforce.com', async () => {
    expect(await audienceSentFrom('https://test.salesforce.com')).toBe(
      'https://test.salesforce.com',
    )
    expect(await audienceSentFrom('https://acme--uat.sandbox.my.salesforce.com')).toBe(
      'https://test.salesforce.com',
    )
    expect(env.emu.calls.map((c) => new URL(c.url).origin)).toEqual([
      'https://test.salesforce.com',
      'https://acme--uat.sandbox.my.salesforce.com',
    ])
  })

  it('an Experience Cloud site signs for the site URL and posts to the site', async () => {
    expect(await audienceSentFrom('https://acme.my.site.com/partners')).toBe(
      'https://acme.my.site.com/partners',
    )
    expect(env.emu.calls[0]?.url).toBe('https://acme.my.site.com/partners/services/oauth2/token')
  })

  it('the audience option overrides the derived one', async () => {
    expect(
      await audienceSentFrom('https://acme.my.salesforce.com', 'https://test.salesforce.com'),
    ).toBe('https://test.salesforce.com')
  })
})
