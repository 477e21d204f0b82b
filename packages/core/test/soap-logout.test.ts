import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createHttp, SfAuthError, soapLogout } from '../src/flow.js'
import { soapBodyElement } from '../src/soap-logout.js'

const INSTANCE = 'https://acme.my.salesforce.com'
const SESSION = '00DgK000000abcd!AQEAQsecretsessionid'
const ENDPOINT = `${INSTANCE}/services/Soap/u/64.0`
const envelope = (body: string, header = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">${header}<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
const fault = (code: string, message: string, detail = '') =>
  envelope(
    `<soapenv:Fault><faultcode>${code}</faultcode><faultstring>${message}</faultstring>${detail}</soapenv:Fault>`,
  )
const xml = (text: string, status = 200) =>
  new HttpResponse(text, { status, headers: { 'Content-Type': 'text/xml' } })

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

function answer(make: () => Response) {
  const sent: { headers: Headers; body: string }[] = []
  server.use(
    http.post(ENDPOINT, async ({ request }) => {
      sent.push({ headers: request.headers, body: await request.text() })
      return make()
    }),
  )
  return sent
}

const logout = () =>
  soapLogout(createHttp(), `${INSTANCE}/services/Soap/u/64.0/00D`, '64.0', SESSION)
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection')
    },
    (err: unknown) => err as SfAuthError,
  )

describe('soapLogout', () => {
  it('posts logout() with the session header to the instance and resolves on a logoutResponse', async () => {
    const sent = answer(() =>
      xml(envelope('<logoutResponse xmlns="urn:partner.soap.sforce.com"/>')),
    )
    await logout()
    expect(sent).toHaveLength(1)
    expect(sent[0]?.headers.get('soapaction')).toBe('logout')
    expect(sent[0]?.body).toContain(`<sessionId>${SESSION}</sessionId>`)
    expect(sent[0]?.body).toContain('<logout xmlns="urn:partner.soap.sforce.com"/>')
  })

  it('counts INVALID_SESSION_ID as logged out', async () => {
    answer(() => xml(fault('sf:INVALID_SESSION_ID', 'INVALID_SESSION_ID: Invalid Session ID'), 500))
    await logout()
  })

  it('rejects a 200 that is not a logoutResponse (Salesforce: only that means success)', async () => {
    answer(() => xml(envelope('<loginResponse/>')))
    const err = await rejection(logout())
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
    answer(() => new HttpResponse('OK', { status: 200 }))
    expect((await rejection(logout())).errorCode).toBe('ERR_INVALID_RESPONSE')
  })

  it('does not take a logoutResponse in the Header for the body', async () => {
    answer(() => xml(envelope('<other/>', '<soapenv:Header><logoutResponse/></soapenv:Header>')))
    expect((await rejection(logout())).errorCode).toBe('ERR_INVALID_RESPONSE')
  })

  it('rejects another fault with its code and message, the session ID scrubbed', async () => {
    answer(() => xml(fault('sf:UNKNOWN_EXCEPTION', `could not end ${SESSION}`), 500))
    const err = await rejection(logout())
    expect(err.errorCode).toBe('UNKNOWN_EXCEPTION')
    expect(err.status).toBe(500)
    expect(err.message).toBe('could not end [redacted]')
  })

  it('rejects an HTML page with ERR_HTTP and its status, without its content', async () => {
    answer(() => HttpResponse.html('<html><title>Down</title>secret page</html>', { status: 502 }))
    const err = await rejection(logout())
    expect(err.errorCode).toBe('ERR_HTTP')
    expect(err.status).toBe(502)
    expect(err.message).not.toContain('secret page')
  })
})

describe('soapBodyElement', () => {
  it('names the first element of the Body, any prefix, comments skipped', () => {
    expect(soapBodyElement(envelope('<logoutResponse/>'))).toBe('logoutResponse')
    expect(soapBodyElement(envelope('<!-- x --> <ns1:logoutResponse xmlns:ns1="u"/>'))).toBe(
      'logoutResponse',
    )
    expect(
      soapBodyElement(
        '<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body><Fault/></Body></Envelope>',
      ),
    ).toBe('Fault')
  })
  it('is undefined for anything that is not an envelope', () => {
    expect(soapBodyElement('<html><body><logoutResponse/></body></html>')).toBeUndefined()
    expect(soapBodyElement('logoutResponse')).toBeUndefined()
    expect(soapBodyElement('')).toBeUndefined()
  })
})
