import { Connection, SfAuthError } from '@sfauth/core'
import { DEFAULT_USER } from '@sfauth/emulator'
import { recordingFetch } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { soapLogin } from '../src/index.js'
import { flowContext, INSTANCE, LOGIN_URL, password, username } from './helpers.js'

const env = useMswEmulator()

/** Reads a login request envelope as a conformant XML parser does (all references decoded). */
function readLogin(body: string): { username: string; password: string } {
  const parsed = new XMLParser({
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: false,
    htmlEntities: true,
  }).parse(body)
  return parsed.Envelope.Body.login
}

describe('login', () => {
  it('logs in as the seed does and fills the connection', async () => {
    const conn = new Connection({ flows: [soapLogin()] })
    const userInfo = await conn.login(username, password)
    expect(userInfo).toEqual({
      id: DEFAULT_USER.userId,
      organizationId: DEFAULT_USER.orgId,
      url: `${LOGIN_URL}/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`,
    })
    expect(conn.instanceUrl).toBe(INSTANCE)
    expect(env.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
    expect(conn.sessionId).toBe(conn.accessToken)
    expect(conn.userInfo).toEqual(userInfo)
    expect(env.emu.count('soap-login')).toBe(1)
    const result = await conn.request<{ records: { Id: string }[] }>('query?q=SELECT+Id+FROM+User')
    expect(result.records[0]?.Id).toBe(DEFAULT_USER.userId)
  })

  it('answers the whole login result, userInfo typed as the WSDL says', async () => {
    const result = await soapLogin().login(flowContext(), username, password)
    expect(result.session).toEqual({
      accessToken: result.response.sessionId,
      instanceUrl: INSTANCE,
      kind: 'soap',
      userInfo: {
        id: DEFAULT_USER.userId,
        organizationId: DEFAULT_USER.orgId,
        url: `${LOGIN_URL}/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`,
      },
    })
    expect(result.response).toMatchObject({
      passwordExpired: false,
      sandbox: false,
      serverUrl: expect.stringMatching(
        /^https:\/\/acme\.my\.salesforce\.com\/services\/Soap\/u\/64\.0\//,
      ),
      metadataServerUrl: expect.stringContaining('/services/Soap/m/64.0/'),
      userId: DEFAULT_USER.userId,
      userInfo: {
        organizationId: DEFAULT_USER.orgId,
        organizationName: 'Acme',
        userId: DEFAULT_USER.userId,
        userName: DEFAULT_USER.username,
        userEmail: DEFAULT_USER.email,
        userFullName: DEFAULT_USER.fullName,
        accessibilityMode: false,
        orgAttachmentFileSizeLimit: 5242880,
        roleId: null,
        userDefaultCurrencyIsoCode: null,
        currencySymbol: '$',
      },
    })
    expect(result.response.userInfo.sessionSecondsValid).toBeGreaterThan(0)
    expect(env.emu.isValidAccessToken(result.response.sessionId)).toBe(true)
  })

  it('posts a Partner login envelope with the SOAP headers', async () => {
    const rec = recordingFetch()
    await new Connection({ fetch: rec.fetch, flows: [soapLogin()] }).login(username, password)
    expect(rec.sent).toHaveLength(1)
    const [sent] = rec.sent
    expect(sent?.method).toBe('POST')
    expect(sent?.url).toBe(`${LOGIN_URL}/services/Soap/u/64.0`)
    expect(sent?.headers.get('content-type')).toBe('text/xml; charset=UTF-8')
    expect(sent?.headers.get('soapaction')).toBe('login')
    expect(sent?.body).toContain('<login xmlns="urn:partner.soap.sforce.com">')
    expect(readLogin(sent?.body ?? '')).toEqual({ username, password })
  })

  it('escapes & < > " \' and keeps any Unicode in both fields', async () => {
    const user = {
      username: `o'brien&<co>"ü"@例え.example.com`,
      password: `p&<>"'ßé€😀 ]]> &amp; <![CDATA[x]]>`,
    }
    env.emu.addUser(user)
    const rec = recordingFetch()
    const conn = new Connection({ fetch: rec.fetch, flows: [soapLogin()] })
    const userInfo = await conn.login(user.username, user.password)
    expect(userInfo.id).toMatch(/^005/)
    const body = rec.sent[0]?.body ?? ''
    for (const raw of ['&<', '<co>', `"ü"`, "o'brien", ']]>', '<![CDATA[']) {
      expect(body).not.toContain(raw)
    }
    expect(readLogin(body)).toMatchObject(user)
    const result = await conn.request<{ records: { Username: string }[] }>(
      'query?q=SELECT+Username+FROM+User',
    )
    expect(result.records[0]?.Username).toBe(user.username)
  })

  it('sends a carriage return as a character reference so that it arrives as a CR', async () => {
    const rec = recordingFetch()
    await new Connection({ fetch: rec.fetch, flows: [soapLogin()] })
      .login(username, 'line\r\nbreak\ttab')
      .catch(() => undefined)
    const body = rec.sent[0]?.body ?? ''
    expect(body).not.toContain('\r')
    expect(body).toContain('line&#xD;\nbreak\ttab')
    expect(readLogin(body).password).toBe('line\r\nbreak\ttab')
  })

  it('refuses characters XML cannot carry before sending anything, without echoing them', async () => {
    const rec = recordingFetch()
    const conn = new Connection({ fetch: rec.fetch, flows: [soapLogin()] })
    const secret = 'secret\u0000value'
    const err = await conn.login(username, secret).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TypeError)
    expect((err as Error).message).toMatch(/password contains a character/)
    expect((err as Error).message).not.toContain('secret')
    await expect(conn.login('bad\uD800user', password)).rejects.toThrow(/username contains/)
    expect(rec.sent).toHaveLength(0)
  })
})

describe('options', () => {
  it('uses 64.0 when the connection asks for a later REST version, and the connection version when lower', async () => {
    const rec = recordingFetch()
    const later = new Connection({ version: '66.0', fetch: rec.fetch, flows: [soapLogin()] })
    await later.login(username, password)
    const earlier = new Connection({ version: '58.0', fetch: rec.fetch, flows: [soapLogin()] })
    await earlier.login(username, password)
    expect(rec.sent.map((r) => new URL(r.url).pathname)).toEqual([
      '/services/Soap/u/64.0',
      '/services/Soap/u/58.0',
    ])
  })

  it('sends the version it is given', async () => {
    const rec = recordingFetch()
    const conn = new Connection({ fetch: rec.fetch, flows: [soapLogin({ version: '60.0' })] })
    await conn.login(username, password)
    expect(rec.sent[0]?.url).toBe(`${LOGIN_URL}/services/Soap/u/60.0`)
  })

  it('logs in at its own loginUrl, which also makes the identity URL', async () => {
    const sandbox = 'https://test.salesforce.com'
    const rec = recordingFetch()
    const conn = new Connection({
      fetch: rec.fetch,
      flows: [soapLogin({ loginUrl: `${sandbox}/` })],
    })
    const userInfo = await conn.login(username, password)
    expect(rec.sent[0]?.url).toBe(`${sandbox}/services/Soap/u/64.0`)
    expect(userInfo.url).toBe(`${sandbox}/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`)
  })

  it('logs in at the connection loginUrl, My Domain included', async () => {
    const myDomain = 'https://acme.my.salesforce.com'
    const conn = new Connection({ loginUrl: myDomain, flows: [soapLogin()] })
    const userInfo = await conn.login(username, password)
    expect(userInfo.url).toBe(`${myDomain}/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`)
  })

  it('rejects bad options with TypeErrors, and an http:// login URL that is not loopback', () => {
    expect(() => soapLogin({ version: '64' })).toThrow(TypeError)
    expect(() => soapLogin({ version: 64 as unknown as string })).toThrow(/version must look like/)
    expect(() => soapLogin({ relogin: 'no' as unknown as boolean })).toThrow(TypeError)
    expect(() => soapLogin({ loginUrl: 'not a url' })).toThrow(TypeError)
    expect(() => soapLogin(null as unknown as undefined)).toThrow(TypeError)
    let insecure: unknown
    try {
      soapLogin({ loginUrl: 'http://login.salesforce.com' })
    } catch (err) {
      insecure = err
    }
    expect(insecure).toBeInstanceOf(SfAuthError)
    expect((insecure as SfAuthError).errorCode).toBe('ERR_INSECURE_URL')
    expect(soapLogin({ loginUrl: 'http://127.0.0.1:8080' }).name).toBe('@sfauth/soap-login')
  })
})
