import { Connection } from '@sfauth/core'
import { DEFAULT_USER } from '@sfauth/emulator'
import { rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { soapLogin } from '../src/index.js'
import { parseXml } from '../src/soap-response.js'
import { LOGIN_URL, password, username } from './helpers.js'

const env = useMswEmulator()
const SOAP_URL = `${LOGIN_URL}/services/Soap/u/:version`

/** Answers the next SOAP login with `body` instead of the emulator. */
function answer(body: string, status: number, contentType = 'text/xml; charset=utf-8'): void {
  env.override(
    http.post(
      SOAP_URL,
      () => new HttpResponse(body, { status, headers: { 'Content-Type': contentType } }),
    ),
  )
}

function fault(faultcode: string, faultstring: string, detail = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.enterprise.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>${faultcode}</faultcode><faultstring>${faultstring}</faultstring>${detail}</soapenv:Fault></soapenv:Body></soapenv:Envelope>`
}

function login(pass = password, conn = new Connection({ flows: [soapLogin()] })) {
  return rejection(conn.login(username, pass))
}

describe('Salesforce faults', () => {
  it('INVALID_LOGIN: the code without sf:, the faultstring, 500, a hint about the token', async () => {
    const err = await login('wrong-password')
    expect(err.errorCode).toBe('INVALID_LOGIN')
    expect(err.status).toBe(500)
    expect(err.message).toMatch(
      /^INVALID_LOGIN: Invalid username, password, security token; or user locked out\./,
    )
    expect(err.message).toMatch(/append the security token/)
    expect(err.message).not.toContain('wrong-password')
  })

  it('LOGIN_MUST_USE_SECURITY_TOKEN when the token is missing, with the hint', async () => {
    const err = await login(DEFAULT_USER.password)
    expect(err.errorCode).toBe('LOGIN_MUST_USE_SECURITY_TOKEN')
    expect(err.status).toBe(500)
    expect(err.message).toMatch(/^LOGIN_MUST_USE_SECURITY_TOKEN: /)
    expect(err.message).toMatch(/append the security token/)
    expect(err.message).not.toContain(DEFAULT_USER.password)
  })

  it('API_DISABLED_FOR_ORG', async () => {
    env.emu.addUser({ username: 'noapi@example.com', password: 'noapi-pass', apiDisabled: true })
    const conn = new Connection({ flows: [soapLogin()] })
    const err = await rejection(conn.login('noapi@example.com', 'noapi-pass'))
    expect(err.errorCode).toBe('API_DISABLED_FOR_ORG')
    expect(err.status).toBe(500)
    expect(err.message).toMatch(/API is not enabled/)
    expect(err.message).not.toMatch(/security token/)
    expect(conn.accessToken).toBeUndefined()
  })

  it('INVALID_OPERATION from a version past 64.0 comes through, with advice on what to use', async () => {
    const conn = new Connection({ flows: [soapLogin({ version: '65.0' })] })
    const err = await login(password, conn)
    expect(err.errorCode).toBe('INVALID_OPERATION')
    expect(err.status).toBe(500)
    expect(err.message).toMatch(
      /^INVALID_OPERATION: The SOAP Login operation is not available in the API version specified \(65\.0\)/,
    )
    expect(err.message).toMatch(/version: '64\.0'/)
    expect(err.message).toMatch(/OAuth 2\.0/)
    expect(err.message).toContain('@sfauth/jwt')
    expect(err.message).toContain('docs/migrating-from-password-logins.md')
    expect(env.emu.count('soap-login')).toBe(1)
  })

  it('reads a bare faultcode (no prefix) the same way', async () => {
    answer(
      fault(
        'INVALID_LOGIN',
        'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
      ),
      500,
    )
    const err = await login()
    expect(err.errorCode).toBe('INVALID_LOGIN')
    expect(err.status).toBe(500)
    expect(err.message).toMatch(/^INVALID_LOGIN: Invalid username/)
  })

  it('strips any prefix, whatever it is bound to', async () => {
    answer(fault('ns1:API_DISABLED_FOR_ORG', 'API_DISABLED_FOR_ORG: API is not enabled'), 500)
    expect((await login()).errorCode).toBe('API_DISABLED_FOR_ORG')
  })

  it("prefers the detail's exceptionCode over SOAP's generic Server/Client codes", async () => {
    answer(
      fault(
        'soapenv:Server',
        'INSUFFICIENT_ACCESS: Use Any API Auth is required',
        '<detail><sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>INSUFFICIENT_ACCESS</sf:exceptionCode><sf:exceptionMessage>Use Any API Auth is required</sf:exceptionMessage></sf:UnexpectedErrorFault></detail>',
      ),
      500,
    )
    const err = await login()
    expect(err.errorCode).toBe('INSUFFICIENT_ACCESS')
    expect(err.message).toBe('INSUFFICIENT_ACCESS: Use Any API Auth is required')
  })

  it('keeps a generic code when there is no detail, and decodes references in the faultstring', async () => {
    answer(fault('soapenv:Client', 'Element &#39;{urn}x&#39; &amp; &lt;y&gt; &unknown;'), 500)
    const err = await login()
    expect(err.errorCode).toBe('Client')
    // Only predefined and numeric references mean anything; an undeclared name stays as written.
    expect(err.message).toBe("Element '{urn}x' & <y> &unknown;")
  })

  it('falls back to the exceptionMessage when there is no faultstring', async () => {
    answer(
      fault(
        'sf:INVALID_LOGIN',
        '',
        '<detail><sf:LoginFault><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>Locked out</sf:exceptionMessage></sf:LoginFault></detail>',
      ).replace('<faultstring></faultstring>', ''),
      500,
    )
    const err = await login()
    expect(err.errorCode).toBe('INVALID_LOGIN')
    expect(err.message).toMatch(/^Locked out/)
  })

  it('never repeats the password, even when the server echoes it', async () => {
    answer(fault('sf:INVALID_LOGIN', `INVALID_LOGIN: bad password ${password}`), 500)
    const err = await login()
    expect(err.message).not.toContain(password)
    expect(err.message).toContain('[redacted]')
  })
})

describe('expired password', () => {
  it('rejects, keeps nothing, and logs the restricted session out', async () => {
    env.emu.addUser({ username: 'old@example.com', password: 'old-pass', passwordExpired: true })
    const conn = new Connection({ flows: [soapLogin()] })
    const err = await rejection(conn.login('old@example.com', 'old-pass'))
    expect(err.errorCode).toBe('INVALID_OPERATION_WITH_EXPIRED_PASSWORD')
    expect(err.message).toMatch(/password of this user has expired/)
    expect(err.message).toMatch(/can only set a new password/)
    expect(conn.accessToken).toBeUndefined()
    expect(conn.instanceUrl).toBeUndefined()
    expect(conn.userInfo).toBeUndefined()
    expect(env.emu.count('soap-login')).toBe(1)
    expect(env.emu.count('soap-logout')).toBe(1)
    await expect(conn.request('query?q=x')).rejects.toMatchObject({ errorCode: 'ERR_NO_SESSION' })
  })
})

describe('responses that are not SOAP', () => {
  it('an HTML error page: ERR_HTTP with the status and title, never the page', async () => {
    const page = `<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>${'<p>maintenance details</p>'.repeat(200)}</body></html>`
    answer(page, 503, 'text/html; charset=utf-8')
    const err = await login()
    expect(err.errorCode).toBe('ERR_HTTP')
    expect(err.status).toBe(503)
    expect(err.message).toContain('Service Unavailable')
    expect(err.message).not.toContain('maintenance details')
    expect(err.message.length).toBeLessThan(300)
  })

  it('an HTML page with status 200 (a captive portal): ERR_INVALID_RESPONSE', async () => {
    answer('<html><body><form>Sign in to the Wi-Fi</form></body></html>', 200, 'text/html')
    const err = await login()
    expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
    expect(err.status).toBe(200)
    expect(err.message).toMatch(/HTML page instead of a SOAP envelope/)
    expect(err.message).not.toContain('Wi-Fi')
  })

  it('malformed XML: ERR_INVALID_RESPONSE with the status and where, not the content', async () => {
    answer('<?xml version="1.0"?><soapenv:Envelope><soapenv:Body><loginResponse>', 200)
    const ok = await login()
    expect(ok.errorCode).toBe('ERR_INVALID_RESPONSE')
    expect(ok.status).toBe(200)
    expect(ok.message).toMatch(/malformed XML/)

    answer('<soapenv:Envelope><faultcode>sf:INVALID_LOGIN</wrong>', 500)
    const failed = await login()
    expect(failed.errorCode).toBe('ERR_INVALID_RESPONSE')
    expect(failed.status).toBe(500)
  })

  it('plain text and empty bodies', async () => {
    answer('upstream connect error', 502, 'text/plain')
    const text = await login()
    expect(text.errorCode).toBe('ERR_HTTP')
    expect(text.status).toBe(502)

    answer('', 500)
    const empty = await login()
    expect(empty.errorCode).toBe('ERR_HTTP')
    expect(empty.message).toMatch(/empty body/)

    answer('{"ok":true}', 200, 'application/json')
    const json = await login()
    expect(json.errorCode).toBe('ERR_INVALID_RESPONSE')
    expect(json.message).toMatch(/not XML/)
  })

  it('XML that is not an envelope, or an envelope without a login result', async () => {
    answer('<?xml version="1.0"?><html-ish><a/></html-ish>', 200)
    expect((await login()).message).toMatch(/not a SOAP envelope/)

    answer(
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><loginResponse><result><serverUrl>https://acme.my.salesforce.com/services/Soap/u/64.0/00D</serverUrl><userId>005x</userId><userInfo><organizationId>00Dx</organizationId></userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>',
      200,
    )
    const noSession = await login()
    expect(noSession.errorCode).toBe('ERR_INVALID_RESPONSE')
    expect(noSession.message).toMatch(/without sessionId/)

    answer(
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><loginResponse/></soapenv:Body></soapenv:Envelope>',
      200,
    )
    expect((await login()).message).toMatch(/without loginResponse\/result/)
  })

  it('a serverUrl on plain http:// to a remote host is refused', async () => {
    answer(
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><loginResponse><result><passwordExpired>false</passwordExpired><serverUrl>http://evil.example.com/services/Soap/u/64.0/00D</serverUrl><sessionId>00Dx!SESSIONVALUE</sessionId><userId>005x</userId><userInfo><organizationId>00Dx</organizationId></userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>',
      200,
    )
    const conn = new Connection({ flows: [soapLogin()] })
    const err = await login(password, conn)
    expect(err.errorCode).toBe('ERR_INSECURE_URL')
    expect(conn.accessToken).toBeUndefined()
  })
})

describe('entity expansion', () => {
  const lol = (n: number) => `<!ENTITY lol${n} "${`&lol${n - 1};`.repeat(10)}">`
  const bomb =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">' +
    Array.from({ length: 9 }, (_, i) => lol(i + 1)).join('') +
    ']><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>&lol9;</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>'

  it('a billion-laughs body is refused unparsed, whatever the status', async () => {
    for (const status of [200, 500]) {
      answer(bomb, status)
      const err = await login()
      expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
      expect(err.status).toBe(status)
      expect(err.message).toMatch(/DOCTYPE/)
      expect(err.message).not.toMatch(/lol/)
      expect(err.message.length).toBeLessThan(200)
    }
  })

  it('an external entity is never fetched', async () => {
    let fetched = false
    env.override(
      http.get('https://login.salesforce.com/secret.txt', () => {
        fetched = true
        return HttpResponse.text('SECRET')
      }),
    )
    answer(
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "https://login.salesforce.com/secret.txt">]><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:X</faultcode><faultstring>&xxe;</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
      500,
    )
    const err = await login()
    expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
    expect(err.message).not.toContain('SECRET')
    expect(fetched).toBe(false)
  })

  it('entity references without a DOCTYPE are left as written, not expanded', async () => {
    answer(fault('sf:INVALID_LOGIN', '&lol9;&lol9;&#38;amp;'), 500)
    const err = await login()
    expect(err.errorCode).toBe('INVALID_LOGIN')
    expect(err.message.startsWith('&lol9;&lol9;&amp;')).toBe(true)
  })
})

describe('parser configuration (the second line of defence)', () => {
  it('declares nothing from a DOCTYPE: a bomb that got past the check would still not expand', () => {
    const billion =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join(
        '',
      ) +
      ']><a><b>&lol9;</b><c>&#38;lol0;</c><d>&lol0;</d></a>'
    const doc = parseXml(billion) as { a: { b: string; c: string; d: string } }
    expect(doc.a.b).toBe('&lol9;')
    expect(doc.a.d).toBe('&lol0;')
    // A numeric reference decodes once; what it produces is text, never a new reference.
    expect(doc.a.c).toBe('&lol0;')
  })
})
