import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '../src/index.js'
import {
  appCredentials,
  expectOAuthError,
  hmacSignature,
  LOGIN,
  MY_DOMAIN,
  passwordLogin,
  token,
} from './helpers.js'

describe('password grant', () => {
  it('answers the Salesforce token response with a verifiable signature', async () => {
    const emu = createEmulator({ now: () => 1708058728442 })
    const res = await passwordLogin(emu)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as Record<string, string>
    expect(Object.keys(body)).toEqual([
      'access_token',
      'signature',
      'scope',
      'instance_url',
      'id',
      'token_type',
      'issued_at',
    ])
    expect(body.access_token).toMatch(new RegExp(`^${DEFAULT_USER.orgId.slice(0, 15)}![.\\w]+$`))
    expect(body.instance_url).toBe(MY_DOMAIN)
    expect(body.id).toBe(`${LOGIN}/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`)
    expect(body.token_type).toBe('Bearer')
    expect(body.issued_at).toBe('1708058728442')
    expect(body.scope).toBe('api web')
    expect(body.signature).toBe(
      await hmacSignature(DEFAULT_APP.clientSecret!, body.id! + body.issued_at),
    )
    expect(emu.isValidAccessToken(body.access_token!)).toBe(true)
  })

  it('uses the instanceUrl option and the host the request came to for id', async () => {
    const emu = createEmulator({ instanceUrl: 'https://globex.my.salesforce.com/' })
    const body = (await (await passwordLogin(emu, 'https://test.salesforce.com')).json()) as Record<
      string,
      string
    >
    expect(body.instance_url).toBe('https://globex.my.salesforce.com')
    expect(body.id!.startsWith('https://test.salesforce.com/id/00D')).toBe(true)
  })

  it('accepts HTTP Basic client authentication', async () => {
    const emu = createEmulator()
    const basic = btoa(`${DEFAULT_APP.clientId}:${DEFAULT_APP.clientSecret}`)
    const res = await token(
      emu,
      {
        grant_type: 'password',
        username: DEFAULT_USER.username,
        password: DEFAULT_USER.password + DEFAULT_USER.securityToken,
      },
      LOGIN,
      { Authorization: `Basic ${basic}` },
    )
    expect(res.status).toBe(200)
  })

  it('accepts multipart/form-data bodies', async () => {
    const emu = createEmulator()
    const form = new FormData()
    form.set('grant_type', 'password')
    form.set('client_id', DEFAULT_APP.clientId)
    form.set('client_secret', DEFAULT_APP.clientSecret!)
    form.set('username', DEFAULT_USER.username)
    form.set('password', DEFAULT_USER.password + DEFAULT_USER.securityToken)
    const res = await emu.fetch(`${LOGIN}/services/oauth2/token`, { method: 'POST', body: form })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { token_type: string }).token_type).toBe('Bearer')
  })

  it('never issues a refresh token', async () => {
    const body = (await (await passwordLogin(createEmulator())).json()) as Record<string, string>
    expect(body.refresh_token).toBeUndefined()
  })

  it('needs the security token appended to the password', async () => {
    const res = await token(createEmulator(), {
      grant_type: 'password',
      ...appCredentials,
      username: DEFAULT_USER.username,
      password: DEFAULT_USER.password,
    })
    await expectOAuthError(res, 'invalid_grant', 'authentication failure')
  })

  it('works without a token for a user who has none', async () => {
    const emu = createEmulator()
    emu.addUser({ username: 'trusted@example.com', password: 'pw' })
    const res = await token(emu, {
      grant_type: 'password',
      ...appCredentials,
      username: 'trusted@example.com',
      password: 'pw',
    })
    expect(res.status).toBe(200)
  })

  it('rejects a wrong password and an unknown user alike', async () => {
    const emu = createEmulator()
    for (const username of [DEFAULT_USER.username, 'nobody@example.com']) {
      const res = await token(emu, {
        grant_type: 'password',
        ...appCredentials,
        username,
        password: `wrong${DEFAULT_USER.securityToken}`,
      })
      await expectOAuthError(res, 'invalid_grant', 'authentication failure')
    }
  })

  it('fails for a user whose password has expired', async () => {
    const emu = createEmulator()
    emu.addUser({ username: 'old@example.com', password: 'pw', passwordExpired: true })
    const res = await token(emu, {
      grant_type: 'password',
      ...appCredentials,
      username: 'old@example.com',
      password: 'pw',
    })
    await expectOAuthError(res, 'invalid_grant', 'authentication failure')
  })

  it('is refused when the app blocks the flow', async () => {
    const emu = createEmulator({
      apps: [{ clientId: 'blocked', clientSecret: 's', allowPasswordGrant: false }],
    })
    const res = await token(emu, {
      grant_type: 'password',
      client_id: 'blocked',
      client_secret: 's',
      username: DEFAULT_USER.username,
      password: DEFAULT_USER.password + DEFAULT_USER.securityToken,
    })
    await expectOAuthError(res, 'invalid_grant', 'authentication failure')
  })

  it('checks the client secret', async () => {
    const emu = createEmulator()
    const fields = {
      grant_type: 'password',
      client_id: DEFAULT_APP.clientId,
      username: DEFAULT_USER.username,
      password: DEFAULT_USER.password + DEFAULT_USER.securityToken,
    }
    await expectOAuthError(
      await token(emu, { ...fields, client_secret: 'wrong' }),
      'invalid_client',
      'invalid client credentials',
    )
    await expectOAuthError(await token(emu, fields), 'invalid_client', 'invalid client credentials')
  })
})

describe('token endpoint errors', () => {
  it('rejects an unknown client', async () => {
    const res = await token(createEmulator(), {
      grant_type: 'password',
      client_id: 'nope',
      client_secret: 'x',
      username: DEFAULT_USER.username,
      password: 'x',
    })
    await expectOAuthError(res, 'invalid_client_id', 'client identifier invalid')
  })

  it('rejects an unknown or missing grant type', async () => {
    const emu = createEmulator()
    await expectOAuthError(
      await token(emu, { grant_type: 'urn:example:magic', ...appCredentials }),
      'unsupported_grant_type',
      'grant type not supported',
    )
    await expectOAuthError(
      await token(emu, appCredentials),
      'unsupported_grant_type',
      'grant type not supported',
    )
  })

  it('does not treat object prototype keys as grant types', async () => {
    await expectOAuthError(
      await token(createEmulator(), { grant_type: 'constructor' }),
      'unsupported_grant_type',
      'grant type not supported',
    )
  })

  it('needs POST', async () => {
    const res = await createEmulator().fetch(`${LOGIN}/services/oauth2/token?grant_type=password`)
    await expectOAuthError(res, 'invalid_request', 'must use HTTP POST')
  })
})
