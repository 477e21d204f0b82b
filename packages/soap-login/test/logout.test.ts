import { Connection } from '@sfauth/core'
import type { Session } from '@sfauth/core/flow'
import { recordingFetch, rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { soapLogin } from '../src/index.js'
import { flowContext, INSTANCE, password, username } from './helpers.js'

const env = useMswEmulator()

/** A live SOAP session made outside any connection, as a custom link would pass it on. */
async function soapSession(): Promise<{ sessionId: string; serverUrl: string }> {
  const { response } = await soapLogin().login(flowContext(), username, password)
  return { sessionId: response.sessionId, serverUrl: response.serverUrl }
}

describe('logout', () => {
  it('ends the session on the server with SOAP logout() and clears it here', async () => {
    const rec = recordingFetch()
    const conn = new Connection({ version: '66.0', fetch: rec.fetch, flows: [soapLogin()] })
    await conn.login(username, password)
    const sessionId = conn.accessToken as string
    await conn.logout()

    expect(env.emu.count('soap-logout')).toBe(1)
    expect(env.emu.isValidAccessToken(sessionId)).toBe(false)
    expect(conn.accessToken).toBeUndefined()
    expect(conn.instanceUrl).toBeUndefined()
    expect(conn.userInfo).toBeUndefined()
    const sent = rec.sent[1]
    expect(sent?.url).toBe(`${INSTANCE}/services/Soap/u/64.0`)
    expect(sent?.headers.get('soapaction')).toBe('logout')
    expect(sent?.headers.get('content-type')).toBe('text/xml; charset=UTF-8')
    expect(sent?.body).toContain(
      `<SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>${sessionId}</sessionId></SessionHeader>`,
    )
    expect(sent?.body).toContain('<logout xmlns="urn:partner.soap.sforce.com"/>')
  })

  it('works as the seed writes it: sessionId and serverUrl, callback form', async () => {
    const { sessionId, serverUrl } = await soapSession()
    const conn = new Connection({ sessionId, serverUrl, flows: [soapLogin()] })
    const err = await new Promise<Error | null>((resolve) => conn.logout((e) => resolve(e)))
    expect(err).toBeNull()
    expect(env.emu.isValidAccessToken(sessionId)).toBe(false)
    expect(conn.sessionId).toBeUndefined()
  })

  it('counts a session Salesforce no longer knows as logged out', async () => {
    const conn = new Connection({ flows: [soapLogin()] })
    await conn.login(username, password)
    env.emu.expireSessions()
    await conn.logout()
    expect(env.emu.count('soap-logout')).toBe(1)
    expect(conn.accessToken).toBeUndefined()
  })

  it('rejects with the fault and keeps the session when logout fails otherwise', async () => {
    const conn = new Connection({ flows: [soapLogin()] })
    await conn.login(username, password)
    const sessionId = conn.accessToken as string
    env.override(
      http.post(
        `${INSTANCE}/services/Soap/u/:version`,
        () =>
          new HttpResponse(
            `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:UNKNOWN_EXCEPTION</faultcode><faultstring>UNKNOWN_EXCEPTION: could not end ${sessionId}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
            { status: 500, headers: { 'Content-Type': 'text/xml' } },
          ),
      ),
    )
    const err = await rejection(conn.logout())
    expect(err.errorCode).toBe('UNKNOWN_EXCEPTION')
    expect(err.status).toBe(500)
    expect(err.message).not.toContain(sessionId)
    expect(conn.accessToken).toBe(sessionId)
  })

  it('reports an HTML page from the instance by status and title', async () => {
    const conn = new Connection({ flows: [soapLogin()] })
    await conn.login(username, password)
    env.override(
      http.post(`${INSTANCE}/services/Soap/u/:version`, () =>
        HttpResponse.html('<html><head><title>Down</title></head><body>secret page</body></html>', {
          status: 502,
        }),
      ),
    )
    const err = await rejection(conn.logout())
    expect(err.errorCode).toBe('ERR_HTTP')
    expect(err.status).toBe(502)
    expect(err.message).not.toContain('secret page')
  })

  it('leaves OAuth sessions to the flows that revoke tokens', async () => {
    const oauth: Session = { accessToken: 'tok', instanceUrl: INSTANCE, kind: 'oauth2' }
    expect(soapLogin().logout(flowContext({ session: oauth }), oauth)).toBeUndefined()
    const conn = new Connection({ instanceUrl: INSTANCE, accessToken: 'tok', flows: [soapLogin()] })
    const err = await rejection(conn.logout())
    expect(err.errorCode).toBe('ERR_NO_FLOW')
    expect(env.emu.count('soap-logout')).toBe(0)
  })
})
