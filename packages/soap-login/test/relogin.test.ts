import { inspect } from 'node:util'
import { Connection } from '@sfauth/core'
import { DEFAULT_USER } from '@sfauth/emulator'
import { CONCURRENT_CALLERS, rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { type SoapLoginResult, soapLogin } from '../src/index.js'
import { LOGIN_URL, password, username } from './helpers.js'

const env = useMswEmulator()
const QUERY = 'query?q=SELECT+Id+FROM+User'

describe('re-login on expiry', () => {
  it('logs in again exactly once for many concurrent requests, and tells the refresh listeners', async () => {
    const conn = new Connection({ flows: [soapLogin()] })
    await conn.login(username, password)
    const first = conn.accessToken
    const refreshed: { token: string; res: SoapLoginResult }[] = []
    conn.on('refresh', (token, res) =>
      refreshed.push({ token, res: res as unknown as SoapLoginResult }),
    )
    env.emu.expireSessions()

    const results = await Promise.all(
      Array.from({ length: CONCURRENT_CALLERS }, () =>
        conn.request<{ records: { Id: string }[] }>(QUERY),
      ),
    )
    for (const result of results) expect(result.records[0]?.Id).toBe(DEFAULT_USER.userId)
    expect(env.emu.count('soap-login')).toBe(2)
    expect(conn.accessToken).not.toBe(first)
    expect(env.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
    expect(refreshed).toHaveLength(1)
    expect(refreshed[0]?.token).toBe(conn.accessToken)
    expect(refreshed[0]?.res.sessionId).toBe(conn.accessToken)
    expect(refreshed[0]?.res.userInfo.organizationId).toBe(DEFAULT_USER.orgId)
    expect(conn.userInfo?.url).toBe(`${LOGIN_URL}/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`)

    // And again: the renewed session carries the credentials on.
    env.emu.expireSessions()
    await conn.request(QUERY)
    expect(env.emu.count('soap-login')).toBe(3)
  })

  it('with relogin: false an expired session is an error and nothing is sent again', async () => {
    const conn = new Connection({ flows: [soapLogin({ relogin: false })] })
    await conn.login(username, password)
    env.emu.expireSessions()
    const err = await rejection(conn.request(QUERY))
    expect(err.errorCode).toBe('INVALID_SESSION_ID')
    expect(err.status).toBe(401)
    expect(env.emu.count('soap-login')).toBe(1)
  })

  it('a failed re-login rejects once with the fault, never loops, never shows the password', async () => {
    const conn = new Connection({ flows: [soapLogin()] })
    await conn.login(username, password)
    env.emu.expireSessions()
    env.emu.resetCalls()
    env.override(
      http.post(
        `${LOGIN_URL}/services/Soap/u/:version`,
        () =>
          new HttpResponse(
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: password changed</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
            { status: 500, headers: { 'Content-Type': 'text/xml' } },
          ),
      ),
    )
    const errors = await Promise.all([1, 2, 3].map(() => rejection(conn.request(QUERY))))
    for (const err of errors) {
      expect(err.errorCode).toBe('INVALID_LOGIN')
      expect(err.message).not.toContain(password)
      expect(inspect(err, { depth: Number.POSITIVE_INFINITY })).not.toContain(password)
    }
    expect(env.emu.count('data')).toBe(3)
  })

  it('forgets the credentials on logout: no re-login afterwards', async () => {
    const conn = new Connection({ flows: [soapLogin()] })
    await conn.login(username, password)
    await conn.logout()
    const err = await rejection(conn.request(QUERY))
    expect(err.errorCode).toBe('ERR_NO_SESSION')
    expect(env.emu.count('soap-login')).toBe(1)
  })
})

describe('credentials stay in memory only', () => {
  it('are absent from toJSON and inspect of the connection and the flow', async () => {
    const flow = soapLogin()
    const conn = new Connection({ flows: [flow] })
    await conn.login(username, password)
    env.emu.expireSessions()
    await conn.request(QUERY)
    const views = [
      JSON.stringify(conn),
      inspect(conn, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      JSON.stringify(flow),
      inspect(flow, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      JSON.stringify(conn.flows),
      inspect(conn.flows, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    ]
    for (const view of views) {
      expect(view).not.toContain(password)
      expect(view).not.toContain(DEFAULT_USER.securityToken)
    }
    expect(JSON.stringify(conn)).toContain('@sfauth/soap-login')
    expect(Object.keys(flow).sort()).toEqual(['login', 'logout', 'name'])
  })
})
