import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '../src/index.js'
import { appCredentials, expectOAuthError, LOGIN, MY_DOMAIN, token } from './helpers.js'

const grant = { grant_type: 'client_credentials' }

describe('client_credentials grant', () => {
  it('works on a My Domain and runs as the configured user', async () => {
    const emu = createEmulator()
    const res = await token(emu, { ...grant, ...appCredentials }, MY_DOMAIN)
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, string>
    expect(body.refresh_token).toBeUndefined()
    expect(body.id).toBe(`${MY_DOMAIN}/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`)
    expect(body.instance_url).toBe(MY_DOMAIN)
    expect(Object.keys(body)).toContain('signature')
  })

  it('accepts HTTP Basic client authentication', async () => {
    const basic = btoa(`${DEFAULT_APP.clientId}:${DEFAULT_APP.clientSecret}`)
    const res = await token(createEmulator(), grant, MY_DOMAIN, { Authorization: `Basic ${basic}` })
    expect(res.status).toBe(200)
  })

  it('works on sandbox My Domains and Experience Cloud sites', async () => {
    const emu = createEmulator()
    for (const origin of [
      'https://acme--dev.sandbox.my.salesforce.com',
      'https://acme.my.site.com',
    ]) {
      expect((await token(emu, { ...grant, ...appCredentials }, origin)).status).toBe(200)
    }
  })

  it('is not supported on login.salesforce.com or test.salesforce.com', async () => {
    const emu = createEmulator()
    for (const origin of [LOGIN, 'https://test.salesforce.com']) {
      await expectOAuthError(
        await token(emu, { ...grant, ...appCredentials }, origin),
        'invalid_grant',
        'request not supported on this domain',
      )
    }
  })

  it('rejects a bad or missing secret, even when the app does not require one elsewhere', async () => {
    const emu = createEmulator({ apps: [{ ...DEFAULT_APP, requireSecret: false }] })
    for (const secret of [{ client_secret: 'wrong' }, {}] as Record<string, string>[]) {
      await expectOAuthError(
        await token(emu, { ...grant, client_id: DEFAULT_APP.clientId, ...secret }, MY_DOMAIN),
        'invalid_client',
        'invalid client credentials',
      )
    }
  })

  it('needs a run-as user', async () => {
    const emu = createEmulator({ apps: [{ clientId: 'no-user', clientSecret: 's' }] })
    await expectOAuthError(
      await token(emu, { ...grant, client_id: 'no-user', client_secret: 's' }, MY_DOMAIN),
      'invalid_grant',
      'no client credentials user enabled',
    )
  })

  it('rejects an unknown client', async () => {
    await expectOAuthError(
      await token(createEmulator(), { ...grant, client_id: 'x', client_secret: 'y' }, MY_DOMAIN),
      'invalid_client_id',
      'client identifier invalid',
    )
  })
})
