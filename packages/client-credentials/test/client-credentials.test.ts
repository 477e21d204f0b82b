import { inspect } from 'node:util'
import { Connection } from '@sfauth/core'
import type { Session } from '@sfauth/core/flow'
import { recordingFetch, rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it } from 'vitest'
import { clientCredentials } from '../src/index.js'
import { APP, APP_WITHOUT_USER, CLIENT, MY_DOMAIN, newEmulator, USER } from './helpers.js'

const emulator = useMswEmulator(newEmulator)
const GRANT = { grant_type: 'client_credentials' } as const
const QUERY = 'query?q=SELECT+Id+FROM+User+LIMIT+1'

type QueryResult = { records: { Id: string }[] }

function seedConnection(extra: Partial<ConstructorParameters<typeof Connection>[0]> = {}) {
  return new Connection({
    instanceUrl: MY_DOMAIN,
    oauth2: { ...CLIENT, loginUrl: MY_DOMAIN },
    flows: [clientCredentials()],
    ...extra,
  })
}

describe('the seed form', () => {
  it('logs in as the run-as user with the oauth2 client information, no refresh token', async () => {
    const conn = seedConnection()
    const userInfo = await conn.authorize(GRANT)
    expect(userInfo).toMatchObject({ id: USER.userId, organizationId: USER.orgId })
    expect(conn.instanceUrl).toBe(MY_DOMAIN)
    expect(conn.refreshToken).toBeUndefined()
    expect(emulator.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
    expect(emulator.emu.count('token', 'client_credentials')).toBe(1)
    const result = await conn.request<QueryResult>(QUERY)
    expect(result.records[0]?.Id).toBe(USER.userId)
  })

  it('sends the credentials in the body by default', async () => {
    const wire = recordingFetch()
    await seedConnection({ fetch: wire.fetch }).authorize(GRANT)
    const [token] = wire.requests
    expect(token?.url).toBe(`${MY_DOMAIN}/services/oauth2/token`)
    expect(token?.headers.get('authorization')).toBeNull()
    const body = new URLSearchParams(await token?.text())
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'client_credentials',
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
    })
  })
})

describe('options', () => {
  it('takes credentials and the My Domain URL from its own options', async () => {
    const conn = new Connection({
      flows: [clientCredentials({ ...CLIENT, loginUrl: `${MY_DOMAIN}/` })],
    })
    expect(conn.loginUrl).toBe('https://login.salesforce.com')
    await conn.authorize(GRANT)
    expect(conn.userInfo?.id).toBe(USER.userId)
    expect(emulator.emu.count('token', 'client_credentials')).toBe(1)
  })

  it("prefers its options over the connection's client information, field by field", async () => {
    const conn = new Connection({
      loginUrl: MY_DOMAIN,
      oauth2: { clientId: APP.clientId, clientSecret: 'a-stale-secret' },
      flows: [clientCredentials({ clientSecret: APP.clientSecret })],
    })
    await conn.authorize(GRANT)
    expect(conn.userInfo?.id).toBe(USER.userId)
  })

  it('takes client_id and client_secret passed to authorize() and renews with them', async () => {
    const conn = new Connection({ loginUrl: MY_DOMAIN, flows: [clientCredentials()] })
    await conn.authorize({ ...GRANT, client_id: APP.clientId, client_secret: APP.clientSecret })
    emulator.emu.expireSessions()
    await expect(conn.request<QueryResult>(QUERY)).resolves.toMatchObject({
      records: [{ Id: USER.userId }],
    })
    expect(emulator.emu.count('token', 'client_credentials')).toBe(2)
  })

  it('sends HTTP Basic client authentication with auth: "basic"', async () => {
    const wire = recordingFetch()
    const conn = new Connection({
      oauth2: { ...CLIENT, loginUrl: MY_DOMAIN },
      flows: [clientCredentials({ auth: 'basic' })],
      fetch: wire.fetch,
    })
    await conn.authorize(GRANT)
    expect(conn.userInfo?.id).toBe(USER.userId)
    const [token] = wire.requests
    const basic = token?.headers.get('authorization') ?? ''
    expect(basic.startsWith('Basic ')).toBe(true)
    expect(atob(basic.slice(6))).toBe(`${APP.clientId}:${APP.clientSecret}`)
    const body = new URLSearchParams(await token?.text())
    expect(Object.fromEntries(body)).toEqual({ grant_type: 'client_credentials' })
  })

  it('names what is missing in a TypeError, before anything is sent', async () => {
    const none = new Connection({ loginUrl: MY_DOMAIN, flows: [clientCredentials()] })
    await expect(none.authorize(GRANT)).rejects.toThrow(
      new TypeError(
        'The client credentials flow needs clientId and clientSecret: pass clientCredentials({ clientId, clientSecret }) or new Connection({ oauth2: { clientId, clientSecret, loginUrl } })',
      ),
    )
    const noSecret = new Connection({
      oauth2: { clientId: APP.clientId, loginUrl: MY_DOMAIN },
      flows: [clientCredentials()],
    })
    const err = await noSecret.authorize(GRANT).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TypeError)
    expect((err as Error).message).toMatch(/needs clientSecret:/)
    expect(emulator.emu.count('token')).toBe(0)
  })

  it('rejects malformed options at once', () => {
    expect(() => clientCredentials({ clientId: '' })).toThrow(TypeError)
    expect(() => clientCredentials({ clientSecret: 42 as unknown as string })).toThrow(
      /clientSecret must be a non-empty string/,
    )
    expect(() => clientCredentials({ auth: 'header' as 'basic' })).toThrow(
      /auth must be 'body' or 'basic'/,
    )
    expect(() => clientCredentials({ loginUrl: 'acme.my.salesforce.com' })).toThrow(TypeError)
    expect(() => clientCredentials({ loginUrl: 'http://acme.my.salesforce.com' })).toThrow(
      expect.objectContaining({ errorCode: 'ERR_INSECURE_URL' }),
    )
  })

  it('is a flow for the client_credentials grant type only', async () => {
    const flow = clientCredentials()
    expect(flow.name).toBe('@sfauth/client-credentials')
    expect(flow.grantTypes).toEqual(['client_credentials'])
    const conn = new Connection({ oauth2: { ...CLIENT, loginUrl: MY_DOMAIN }, flows: [flow] })
    const err = await rejection(conn.authorize({ grant_type: 'password' }))
    expect(err.errorCode).toBe('ERR_NO_FLOW')
  })
})

describe("Salesforce's errors", () => {
  it('passes invalid_client through with its status and never shows the secret', async () => {
    const wrong = 'WRONGSECRET-NEVER-SHOWN-0000000000000000000000000000000000000000'
    const conn = new Connection({
      loginUrl: MY_DOMAIN,
      flows: [clientCredentials({ clientId: APP.clientId, clientSecret: wrong })],
    })
    const err = await rejection(conn.authorize(GRANT))
    expect(err.errorCode).toBe('invalid_client')
    expect(err.status).toBe(400)
    expect(err.message).toBe('invalid client credentials')
    expect(`${err.message}${err.stack}${inspect(err)}`).not.toContain(wrong)
    expect(conn.accessToken).toBeUndefined()
  })

  it('passes invalid_client_id through for an unknown consumer key', async () => {
    const conn = new Connection({
      loginUrl: MY_DOMAIN,
      flows: [clientCredentials({ clientId: '3MVG9unknown', clientSecret: APP.clientSecret })],
    })
    const err = await rejection(conn.authorize(GRANT))
    expect(err.errorCode).toBe('invalid_client_id')
    expect(err.status).toBe(400)
  })

  it('passes invalid_grant through for an app without a run-as user', async () => {
    const conn = new Connection({
      loginUrl: MY_DOMAIN,
      flows: [clientCredentials(APP_WITHOUT_USER)],
    })
    const err = await rejection(conn.authorize(GRANT))
    expect(err.errorCode).toBe('invalid_grant')
    expect(err.status).toBe(400)
    expect(err.message).toBe('no client credentials user enabled')
    expect(`${err.message}${inspect(err)}`).not.toContain(APP_WITHOUT_USER.clientSecret)
  })
})

describe('renewal', () => {
  it('renews a session it did not make when it knows the credentials', async () => {
    const conn = new Connection({
      instanceUrl: MY_DOMAIN,
      accessToken: '00DgK0000ccAcmeOrA!expired',
      oauth2: { ...CLIENT, loginUrl: MY_DOMAIN },
      flows: [clientCredentials()],
    })
    await expect(conn.request<QueryResult>(QUERY)).resolves.toMatchObject({
      records: [{ Id: USER.userId }],
    })
    expect(emulator.emu.count('token', 'client_credentials')).toBe(1)
    expect(conn.userInfo?.id).toBe(USER.userId)
  })

  it('declines to renew without credentials, so the 401 surfaces with a hint', async () => {
    const conn = new Connection({
      instanceUrl: MY_DOMAIN,
      accessToken: '00DgK0000ccAcmeOrA!expired',
      loginUrl: MY_DOMAIN,
      flows: [clientCredentials()],
    })
    const err = await rejection(conn.request(QUERY))
    expect(err.errorCode).toBe('INVALID_SESSION_ID')
    expect(err.status).toBe(401)
    expect(emulator.emu.count('token')).toBe(0)
  })
})

describe('logout', () => {
  it('leaves SOAP sessions to a flow that can end them', () => {
    const soap: Session = { accessToken: 'sid', instanceUrl: MY_DOMAIN, kind: 'soap' }
    const flow = clientCredentials()
    const ctx = {
      loginUrl: MY_DOMAIN,
      version: '64.0',
      client: CLIENT,
      instanceUrl: MY_DOMAIN,
      session: soap,
      http: {
        send: () => Promise.reject(new Error('unused')),
        json: () => Promise.reject(new Error('unused')),
      },
    }
    expect(flow.logout?.(ctx, soap)).toBeUndefined()
  })
})
