import { Connection, type SfAuthError } from '@sfauth/core'
import { DEFAULT_USER } from '@sfauth/emulator'
import { rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { HttpResponse, http } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { soapLogin } from '../src/index.js'
import { MAX_SESSION_ID } from '../src/login-result.js'
import { RELOGIN_BACKOFF_MS } from '../src/relogin-guard.js'
import { MAX_SOAP_RESPONSE } from '../src/soap-response.js'
import { INSTANCE, password, username } from './helpers.js'

const env = useMswEmulator()
const QUERY = 'query?q=SELECT+Id+FROM+User'

function loginResult(fields: {
  serverUrl?: string
  sessionId?: string
  passwordExpired?: boolean
}): string {
  const {
    serverUrl = `${INSTANCE}/services/Soap/u/64.0/00D`,
    sessionId = '00D!session',
    passwordExpired = false,
  } = fields
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com"><soapenv:Body><loginResponse><result><passwordExpired>${passwordExpired}</passwordExpired><serverUrl>${serverUrl}</serverUrl><sessionId>${sessionId}</sessionId><userId>${DEFAULT_USER.userId}</userId><userInfo><organizationId>${DEFAULT_USER.orgId}</organizationId><userId>${DEFAULT_USER.userId}</userId></userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>`
}

/** Answers every SOAP call with `body`, counting the calls. */
function answerSoap(body: string, status = 200): { calls: number } {
  const seen = { calls: 0 }
  env.override(
    http.post('*/services/Soap/u/:version', () => {
      seen.calls++
      return new HttpResponse(body, { status, headers: { 'Content-Type': 'text/xml' } })
    }),
  )
  return seen
}

describe('plain errors do not escape', () => {
  it('a password-expired result with an invalid serverUrl rejects with SfAuthError and logs out nowhere', async () => {
    const seen = answerSoap(loginResult({ serverUrl: 'not a url', passwordExpired: true }))
    const conn = new Connection({ flows: [soapLogin()] })
    const err = await rejection(conn.login(username, password))
    expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
    expect(err.status).toBe(200)
    expect(err.message).not.toContain('not a url')
    expect(seen.calls).toBe(1)
    expect(conn.accessToken).toBeUndefined()
  })

  it('an invalid serverUrl on a normal result is an SfAuthError too, not a TypeError', async () => {
    answerSoap(loginResult({ serverUrl: `/relative/${'x'.repeat(10_000)}` }))
    const err = await rejection(new Connection({ flows: [soapLogin()] }).login(username, password))
    expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
    expect(err.message.length).toBeLessThan(300)
  })

  it('an https login answering an http serverUrl (even loopback) hands the session to nobody', async () => {
    const seen = answerSoap(
      loginResult({
        serverUrl: 'http://127.0.0.1:6379/services/Soap/u/64.0',
        passwordExpired: true,
      }),
    )
    const conn = new Connection({ flows: [soapLogin()] })
    const err = await rejection(conn.login(username, password))
    expect(err.errorCode).toBe('ERR_INSECURE_URL')
    expect(err.message).toContain('http://127.0.0.1:6379')
    // Only the login itself: the password-expired logout was not sent to the http host.
    expect(seen.calls).toBe(1)
    expect(conn.accessToken).toBeUndefined()
  })
})

describe('size limits on SOAP answers', () => {
  it('refuses a 50 MB sessionId without parsing or storing it', async () => {
    const huge = 'A'.repeat(50 * 1024 * 1024)
    answerSoap(loginResult({ sessionId: huge }))
    const conn = new Connection({ flows: [soapLogin()] })
    const err = await rejection(conn.login(username, password))
    expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
    expect(err.message).toMatch(/more than the 1048576/)
    expect(err.message.length).toBeLessThan(400)
    expect(conn.accessToken).toBeUndefined()
  })

  it('refuses a sessionId longer than a session ID can be, even in a small answer', async () => {
    answerSoap(loginResult({ sessionId: 'S'.repeat(MAX_SESSION_ID + 1) }))
    const conn = new Connection({ flows: [soapLogin()] })
    const err = await rejection(conn.login(username, password))
    expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
    expect(err.message).toContain(`${MAX_SESSION_ID + 1}-character sessionId`)
    expect(conn.accessToken).toBeUndefined()
  })

  it('refuses an oversized error body before any work on it (ERR_HTTP, status kept)', async () => {
    answerSoap(' '.repeat(MAX_SOAP_RESPONSE + 1), 500)
    const err = await rejection(new Connection({ flows: [soapLogin()] }).login(username, password))
    expect(err.errorCode).toBe('ERR_HTTP')
    expect(err.status).toBe(500)
  })
})

describe('CDATA mixed with text', () => {
  it('comes back in document order, CDATA undecoded (whitespace collapsed, as in every message)', async () => {
    answerSoap(
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>a &amp; <![CDATA[ <b>&amp; ]]>c<![CDATA[d]]>e</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
      500,
    )
    const err = await rejection(new Connection({ flows: [soapLogin()] }).login(username, 'x'))
    expect(err.errorCode).toBe('INVALID_LOGIN')
    expect(err.message.startsWith('a & <b>&amp; cde')).toBe(true)
  })
})

describe('re-login pacing', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('20 requests against a server that rejects every fresh session make 3 logins, not 21', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const conn = new Connection({ flows: [soapLogin()] })
    await conn.login(username, password)
    env.override(
      http.get(`${INSTANCE}/services/data/*`, () =>
        HttpResponse.json(
          [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
          {
            status: 401,
          },
        ),
      ),
    )
    const errors: SfAuthError[] = []
    for (let i = 0; i < 20; i++) errors.push(await rejection(conn.request(QUERY)))

    // The first login, then two immediate re-logins; after that the password is not sent again.
    expect(env.emu.count('soap-login')).toBe(3)
    expect(errors.slice(0, 2).map((e) => e.errorCode)).toEqual([
      'INVALID_SESSION_ID',
      'INVALID_SESSION_ID',
    ])
    for (const err of errors.slice(2)) {
      expect(err.errorCode).toBe('ERR_RELOGIN_BACKOFF')
      expect(err.status).toBe(401)
      expect(err.message).toMatch(/not logging in with the password again for 30 s/)
      expect(err.message).not.toContain(password)
    }

    // After the cooldown one more re-login goes out; rejected at once again, the wait doubles.
    vi.setSystemTime(Date.now() + RELOGIN_BACKOFF_MS + 1)
    expect((await rejection(conn.request(QUERY))).errorCode).toBe('INVALID_SESSION_ID')
    expect(env.emu.count('soap-login')).toBe(4)
    const next = await rejection(conn.request(QUERY))
    expect(next.errorCode).toBe('ERR_RELOGIN_BACKOFF')
    expect(next.message).toMatch(/for 60 s/)
    expect(env.emu.count('soap-login')).toBe(4)
  })

  it('a session that lived its life resets the pacing: later expiries re-log in at once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const conn = new Connection({ flows: [soapLogin()] })
    await conn.login(username, password)
    for (let i = 1; i <= 4; i++) {
      env.emu.expireSessions()
      await conn.request(QUERY)
      expect(env.emu.count('soap-login')).toBe(1 + i)
      // Each session served for two hours before it expired.
      vi.setSystemTime(Date.now() + 2 * 60 * 60_000)
    }
  })

  it('failed re-logins count too: a changed password is not retried on every request', async () => {
    const conn = new Connection({ flows: [soapLogin()] })
    await conn.login(username, password)
    env.emu.expireSessions()
    const seen = answerSoap(
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
      500,
    )
    const codes: string[] = []
    for (let i = 0; i < 10; i++) codes.push((await rejection(conn.request(QUERY))).errorCode)
    expect(seen.calls).toBe(2)
    expect(codes).toEqual([
      'INVALID_LOGIN',
      'INVALID_LOGIN',
      ...Array(8).fill('ERR_RELOGIN_BACKOFF'),
    ])
  })
})

describe('a fault goes through the rules every server error code and message does', () => {
  const secret = 'Hunter2-echoed-Password'
  const fault = (inner: string) =>
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault>${inner}</soapenv:Fault></soapenv:Body></soapenv:Envelope>`
  const shown = (err: SfAuthError) => `${err.message}\n${err.errorCode}\n${JSON.stringify(err)}`

  it('a faultcode that echoes the password is not the errorCode', async () => {
    answerSoap(fault(`<faultcode>sf:${secret}</faultcode><faultstring>no</faultstring>`), 500)
    const err = await rejection(new Connection({ flows: [soapLogin()] }).login(username, secret))
    expect(err.errorCode).toBe('ERR_HTTP')
    expect(err.status).toBe(500)
    expect(shown(err)).not.toContain(secret)
  })

  it('an exceptionCode that echoes the password is not the errorCode', async () => {
    answerSoap(
      fault(
        `<faultcode>soapenv:Client</faultcode><faultstring>no</faultstring><detail><sf:LoginFault><sf:exceptionCode>${secret}</sf:exceptionCode><sf:exceptionMessage>no</sf:exceptionMessage></sf:LoginFault></detail>`,
      ),
      500,
    )
    const err = await rejection(new Connection({ flows: [soapLogin()] }).login(username, secret))
    expect(err.errorCode).toBe('ERR_HTTP')
    expect(shown(err)).not.toContain(secret)
  })

  it('a code longer than any Salesforce code is not the errorCode', async () => {
    answerSoap(
      fault(`<faultcode>sf:${'X'.repeat(5000)}</faultcode><faultstring>no</faultstring>`),
      500,
    )
    const err = await rejection(new Connection({ flows: [soapLogin()] }).login(username, password))
    expect(err.errorCode).toBe('ERR_HTTP')
  })

  // XML 1.0 carries DEL and the C1 controls (CSI, NEL): a terminal reads CSI as an escape.
  it('a 200 KB faultstring with control characters is cut and stripped', async () => {
    answerSoap(
      fault(
        `<faultcode>sf:INVALID_LOGIN</faultcode><faultstring>&#x9b;2J&#x7f;Invalid &#x85;login${'y'.repeat(200_000)}</faultstring>`,
      ),
      500,
    )
    const err = await rejection(new Connection({ flows: [soapLogin()] }).login(username, password))
    expect(err.errorCode).toBe('INVALID_LOGIN')
    expect(err.message.startsWith('2JInvalid loginyyy')).toBe(true)
    expect(err.message).not.toMatch(/\p{Cc}/u)
    // 1000 characters of the faultstring and the hint INVALID_LOGIN carries.
    expect(err.message.length).toBeLessThan(1500)
  })
})
