import { Connection } from '@sfauth/core'
import { DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { soapLogin } from '@sfauth/soap-login'
import { startExample } from '@sfauth/test-kit/env'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { describe, expect, it } from 'vitest'
import { isAlive, logoutAccessToken, logoutSessionId } from '../src/logout.js'

const server = useLoopbackEmulator()
const { emu } = server

const password = DEFAULT_USER.password + DEFAULT_USER.securityToken

describe('logout example', () => {
  it('ends a session ID on the server with SOAP logout (callback form)', async () => {
    const soap = new Connection({ loginUrl: server.url, flows: [soapLogin()] })
    const { organizationId } = await soap.login(DEFAULT_USER.username, password)
    const sessionId = soap.sessionId!
    expect(await isAlive(server.url, sessionId)).toBe(true)
    emu.resetCalls()

    await logoutSessionId(`${server.url}/services/Soap/u/64.0/${organizationId}`, sessionId)

    expect(emu.count('soap-logout')).toBe(1)
    expect(emu.isValidAccessToken(sessionId)).toBe(false)
    expect(await isAlive(server.url, sessionId)).toBe(false)
  })

  it('revokes an OAuth access token on the server', async () => {
    const oauth = new Connection({ oauth2: new OAuth2({ ...DEFAULT_APP, loginUrl: server.url }) })
    await oauth.login(DEFAULT_USER.username, password)
    const token = oauth.accessToken!
    emu.resetCalls()

    await logoutAccessToken(server.url, token)

    expect(emu.count('revoke')).toBe(1)
    expect(emu.isValidAccessToken(token)).toBe(false)
  })

  it('counts a session that is already dead as logged out', async () => {
    const soap = new Connection({ loginUrl: server.url, flows: [soapLogin()] })
    const { organizationId } = await soap.login(DEFAULT_USER.username, password)
    const serverUrl = `${server.url}/services/Soap/u/64.0/${organizationId}`
    await logoutSessionId(serverUrl, soap.sessionId!)
    await expect(logoutSessionId(serverUrl, soap.sessionId!)).resolves.toBeUndefined()
  })

  it('pnpm start logs both kinds out against its own emulator', async () => {
    const stdout = await startExample(new URL('..', import.meta.url))
    expect(stdout).toContain('session ID logged out (SOAP logout); still accepted: false')
    expect(stdout).toContain('access token logged out (revoked); still accepted: false')
  })
})
