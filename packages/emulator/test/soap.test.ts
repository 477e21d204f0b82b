import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_USER } from '../src/index.js'
import { LOGIN, MY_DOMAIN, soap, soapLoginBody, soapLogoutBody } from './helpers.js'

const SOAP_URL = `${LOGIN}/services/Soap/u/64.0`
type XmlNode = Record<string, unknown>

/** Walks parsed XML; a missing step fails the test rather than yielding undefined. */
function node(value: unknown, ...path: string[]): XmlNode {
  let current = value
  for (const step of path) {
    expect(current, `missing <${step}>`).toBeTypeOf('object')
    current = (current as XmlNode)[step]
  }
  expect(current).toBeTypeOf('object')
  return current as XmlNode
}

const parse = (xml: string): XmlNode =>
  new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml)
const body = (xml: string) => node(parse(xml), 'soapenv:Envelope', 'soapenv:Body')
const loginResult = (xml: string) => node(body(xml), 'loginResponse', 'result')
const faultOf = (xml: string) => node(body(xml), 'soapenv:Fault')
const apiPassword = DEFAULT_USER.password + DEFAULT_USER.securityToken

async function expectFault(res: Response, code: string, message: string, detail = 'LoginFault') {
  expect(res.status).toBe(500)
  expect(res.headers.get('content-type')).toMatch(/^text\/xml/)
  const xml = await res.text()
  const fault = faultOf(xml)
  expect(fault.faultcode).toBe(`sf:${code}`)
  expect(fault.faultstring).toBe(`${code}: ${message}`)
  const typed = node(fault, 'detail', `sf:${detail}`)
  expect(typed['@_xsi:type']).toBe(`sf:${detail}`)
  expect(typed['sf:exceptionCode']).toBe(code)
  expect(typed['sf:exceptionMessage']).toBe(message)
  expect(xml).toContain('xmlns:sf="urn:fault.partner.soap.sforce.com"')
}

describe('SOAP login()', () => {
  it('answers the partner loginResponse with alphabetical elements', async () => {
    const emu = createEmulator()
    const res = await soap(emu, SOAP_URL, soapLoginBody(DEFAULT_USER.username, apiPassword))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/)
    const xml = await res.text()
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><soapenv:Envelope/)
    expect(xml).toContain('xmlns="urn:partner.soap.sforce.com"')
    const result = loginResult(xml)
    expect(Object.keys(result)).toEqual([
      'metadataServerUrl',
      'passwordExpired',
      'sandbox',
      'serverUrl',
      'sessionId',
      'userId',
      'userInfo',
    ])
    const org15 = DEFAULT_USER.orgId.slice(0, 15)
    expect(result.serverUrl).toBe(`${MY_DOMAIN}/services/Soap/u/64.0/${org15}`)
    expect(result.metadataServerUrl).toBe(`${MY_DOMAIN}/services/Soap/m/64.0/${org15}`)
    expect(result.passwordExpired).toBe('false')
    expect(result.sandbox).toBe('false')
    expect(result.userId).toBe(DEFAULT_USER.userId)
    expect(result.sessionId).toMatch(new RegExp(`^${org15}!`))
    const info = node(result, 'userInfo')
    expect(Object.keys(info)).toEqual([...Object.keys(info)].sort())
    expect(info.organizationId).toBe(DEFAULT_USER.orgId)
    expect(info.organizationName).toBeDefined()
    expect(info.sessionSecondsValid).toBe('7200')
    expect(info.userEmail).toBe(DEFAULT_USER.email)
    expect(info.userFullName).toBe(DEFAULT_USER.fullName)
    expect(info.userId).toBe(DEFAULT_USER.userId)
    expect(info.userName).toBe(DEFAULT_USER.username)
    expect(node(info, 'roleId')['@_xsi:nil']).toBe('true')
    expect(emu.isValidAccessToken(String(result.sessionId))).toBe(true)
  })

  it('reports sandbox for test.salesforce.com', async () => {
    const res = await soap(
      createEmulator(),
      'https://test.salesforce.com/services/Soap/u/58.0',
      soapLoginBody(DEFAULT_USER.username, apiPassword),
    )
    const result = loginResult(await res.text())
    expect(result.sandbox).toBe('true')
    expect(result.serverUrl).toMatch(/\/services\/Soap\/u\/58\.0\/00D/)
  })

  it('speaks the enterprise namespace on /Soap/c/', async () => {
    const res = await soap(
      createEmulator(),
      `${LOGIN}/services/Soap/c/64.0`,
      soapLoginBody(DEFAULT_USER.username, apiPassword),
    )
    const xml = await res.text()
    expect(xml).toContain('xmlns="urn:enterprise.soap.sforce.com"')
    expect(xml).toContain('/services/Soap/c/64.0/')
  })

  it('decodes XML entities in credentials', async () => {
    const emu = createEmulator({ users: [{ username: 'amp@example.com', password: 'a&b<c>"d' }] })
    const res = await soap(emu, SOAP_URL, soapLoginBody('amp@example.com', 'a&b<c>"d'))
    expect(res.status).toBe(200)
  })

  it('keeps an all-digit password a string', async () => {
    const emu = createEmulator({ users: [{ username: 'digits@example.com', password: '00123' }] })
    expect((await soap(emu, SOAP_URL, soapLoginBody('digits@example.com', '00123'))).status).toBe(
      200,
    )
  })

  it('faults INVALID_LOGIN for a wrong password or an unknown user', async () => {
    const emu = createEmulator()
    const message = 'Invalid username, password, security token; or user locked out.'
    await expectFault(
      await soap(emu, SOAP_URL, soapLoginBody(DEFAULT_USER.username, 'wrong')),
      'INVALID_LOGIN',
      message,
    )
    await expectFault(
      await soap(emu, SOAP_URL, soapLoginBody('nobody@example.com', apiPassword)),
      'INVALID_LOGIN',
      message,
    )
  })

  it('faults LOGIN_MUST_USE_SECURITY_TOKEN for the right password without the token', async () => {
    const res = await soap(
      createEmulator(),
      SOAP_URL,
      soapLoginBody(DEFAULT_USER.username, DEFAULT_USER.password),
    )
    await expectFault(
      res,
      'LOGIN_MUST_USE_SECURITY_TOKEN',
      'Invalid username, password, security token; or user locked out. Are you at a new location? When accessing Salesforce--either via a desktop client or the API--from outside of your company’s trusted networks, you must add a security token to your password to log in. To get your new security token, log in to Salesforce. From your personal settings, enter Reset My Security Token in the Quick Find box, then select Reset My Security Token.',
    )
  })

  it('faults API_DISABLED_FOR_ORG', async () => {
    const emu = createEmulator({
      users: [{ username: 'u@example.com', password: 'p', apiDisabled: true }],
    })
    await expectFault(
      await soap(emu, SOAP_URL, soapLoginBody('u@example.com', 'p')),
      'API_DISABLED_FOR_ORG',
      'API is not enabled for this Organization or Partner',
    )
  })

  it('answers passwordExpired true with a session the APIs refuse', async () => {
    const emu = createEmulator({
      users: [{ username: 'old@example.com', password: 'p', passwordExpired: true }],
    })
    const res = await soap(emu, SOAP_URL, soapLoginBody('old@example.com', 'p'))
    expect(res.status).toBe(200)
    const result = loginResult(await res.text())
    expect(result.passwordExpired).toBe('true')
    expect(emu.isValidAccessToken(String(result.sessionId))).toBe(false)
  })

  it('refuses login() above API version 64.0', async () => {
    const res = await soap(
      createEmulator(),
      `${LOGIN}/services/Soap/u/65.0`,
      soapLoginBody(DEFAULT_USER.username, apiPassword),
    )
    await expectFault(
      res,
      'INVALID_OPERATION',
      'The SOAP Login operation is not available in the API version specified (65.0). Refer to the documentation for supported versions.',
      'UnexpectedErrorFault',
    )
  })

  it('refuses login() in an org that has it disabled, whatever the credentials', async () => {
    const emu = createEmulator({ soapLoginDisabled: true })
    await expectFault(
      await soap(emu, SOAP_URL, soapLoginBody(DEFAULT_USER.username, apiPassword)),
      'INVALID_OPERATION',
      'SOAP API login() is disabled by default in this org. Contact the org administrator to enable SOAP API login().',
      'UnexpectedErrorFault',
    )
    // The same login works in an org that still allows it.
    const ok = await soap(
      createEmulator(),
      SOAP_URL,
      soapLoginBody(DEFAULT_USER.username, apiPassword),
    )
    expect(ok.status).toBe(200)
  })

  it('answers malformed XML with a soapenv:Client fault', async () => {
    const res = await soap(createEmulator(), SOAP_URL, '<env:Envelope><env:Body><login>')
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/)
    const fault = faultOf(await res.text())
    expect(fault.faultcode).toBe('soapenv:Client')
    expect(fault.faultstring).not.toBe('')
  })

  it('refuses a DOCTYPE (no entity expansion)', async () => {
    const body = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>${soapLoginBody(DEFAULT_USER.username, '&lol2;').replace(/^<\?xml[^>]*>/, '')}`
    const res = await soap(createEmulator(), SOAP_URL, body)
    expect(res.status).toBe(500)
    const fault = faultOf(await res.text())
    expect(fault.faultcode).toBe('soapenv:Client')
    expect(fault.faultstring).toContain('DOCTYPE is disallowed')
  })

  it('faults on an operation it does not know', async () => {
    const body = soapLoginBody('a', 'b').replace(/n1:login/g, 'n1:query')
    const res = await soap(createEmulator(), SOAP_URL, body)
    expect(res.status).toBe(500)
    const fault = faultOf(await res.text())
    expect(fault.faultstring).toBe(
      'No operation available for request {urn:partner.soap.sforce.com}query, please check the WSDL for the service.',
    )
  })
})

describe('SOAP logout()', () => {
  async function login(emu: ReturnType<typeof createEmulator>) {
    const res = await soap(emu, SOAP_URL, soapLoginBody(DEFAULT_USER.username, apiPassword))
    const result = loginResult(await res.text())
    return { sessionId: result.sessionId as string, serverUrl: result.serverUrl as string }
  }

  it('ends the session', async () => {
    const emu = createEmulator()
    const { sessionId, serverUrl } = await login(emu)
    const res = await soap(emu, serverUrl, soapLogoutBody(sessionId))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/)
    const envelope = node(parse(await res.text()), 'soapenv:Envelope')
    expect(envelope['@_xmlns']).toBe('urn:partner.soap.sforce.com')
    expect(envelope['soapenv:Body']).toEqual({ logoutResponse: '' })
    expect(emu.isValidAccessToken(sessionId)).toBe(false)
  })

  it('faults INVALID_SESSION_ID for a dead session', async () => {
    const emu = createEmulator()
    const { sessionId, serverUrl } = await login(emu)
    await soap(emu, serverUrl, soapLogoutBody(sessionId))
    await expectFault(
      await soap(emu, serverUrl, soapLogoutBody(sessionId)),
      'INVALID_SESSION_ID',
      'Invalid Session ID found in SessionHeader: Illegal Session',
      'UnexpectedErrorFault',
    )
  })

  it('is counted apart from login', async () => {
    const emu = createEmulator()
    const { sessionId, serverUrl } = await login(emu)
    await soap(emu, serverUrl, soapLogoutBody(sessionId))
    expect(emu.count('soap-login')).toBe(1)
    expect(emu.count('soap-logout')).toBe(1)
  })
})

describe('SOAP request text', () => {
  const tricky = `it's <&> "é"\r\nx`
  const loginWith = async (encodedPassword: string) => {
    const emu = createEmulator({ users: [{ username: 'enc@example.com', password: tricky }] })
    const envelope = soapLoginBody('enc@example.com', 'PLACEHOLDER').replace(
      'PLACEHOLDER',
      encodedPassword,
    )
    return soap(emu, SOAP_URL, envelope)
  }

  it('decodes numeric character references as a conforming XML parser does', async () => {
    const numeric = 'it&#39;s &#60;&#x26;&#62; &#34;&#233;&#34;&#13;&#10;x'
    expect((await loginWith(numeric)).status).toBe(200)
  })

  it('decodes the five built-in entities', async () => {
    const named = 'it&apos;s &lt;&amp;&gt; &quot;é&quot;&#xD;\nx'
    expect((await loginWith(named)).status).toBe(200)
  })

  it('decodes once: &amp;#39; is the literal text &#39;', async () => {
    const emu = createEmulator({ users: [{ username: 'lit@example.com', password: 'a&#39;b' }] })
    const envelope = soapLoginBody('lit@example.com', 'PLACEHOLDER').replace(
      'PLACEHOLDER',
      'a&amp;#39;b',
    )
    expect((await soap(emu, SOAP_URL, envelope)).status).toBe(200)
    const wrong = soapLoginBody('lit@example.com', 'PLACEHOLDER').replace('PLACEHOLDER', "a'b")
    expect((await soap(emu, SOAP_URL, wrong)).status).toBe(500)
  })
})
