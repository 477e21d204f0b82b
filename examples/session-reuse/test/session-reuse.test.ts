import { Connection, SfAuthError } from '@sfauth/core'
import { DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { soapLogin } from '@sfauth/soap-login'
import { startExample } from '@sfauth/test-kit/env'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { describe, expect, it } from 'vitest'
import { reuseAccessToken, reuseSessionId } from '../src/session-reuse.js'

const server = useLoopbackEmulator()
const { emu } = server

const password = DEFAULT_USER.password + DEFAULT_USER.securityToken

describe('session reuse example', () => {
  it('reuses a SOAP session ID with its server URL', async () => {
    const soap = new Connection({ loginUrl: server.url, flows: [soapLogin()] })
    const { organizationId } = await soap.login(DEFAULT_USER.username, password)
    const serverUrl = `${server.url}/services/Soap/u/64.0/${organizationId}`
    emu.resetCalls()
    const who = await reuseSessionId(serverUrl, soap.sessionId!)
    expect(who).toMatchObject({
      userId: DEFAULT_USER.userId,
      organizationId: DEFAULT_USER.orgId,
      username: DEFAULT_USER.username,
    })
    expect(who.conn.instanceUrl).toBe(server.url)
    // Reusing a session is no login.
    expect(emu.count('soap-login') + emu.count('token')).toBe(0)
  })

  it('reuses an access token with its instance URL', async () => {
    const oauth = new Connection({ oauth2: new OAuth2({ ...DEFAULT_APP, loginUrl: server.url }) })
    await oauth.login(DEFAULT_USER.username, password)
    emu.resetCalls()
    const who = await reuseAccessToken(oauth.instanceUrl!, oauth.accessToken!)
    expect(who.userId).toBe(DEFAULT_USER.userId)
    expect(who.organizationId).toBe(DEFAULT_USER.orgId)
    expect(emu.count('token')).toBe(0)
  })

  it('says so when the reused session is no longer valid', async () => {
    const oauth = new Connection({ oauth2: new OAuth2({ ...DEFAULT_APP, loginUrl: server.url }) })
    await oauth.login(DEFAULT_USER.username, password)
    emu.expireSession(oauth.accessToken!)
    const err = await reuseAccessToken(oauth.instanceUrl!, oauth.accessToken!).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(SfAuthError)
    expect((err as SfAuthError).status).toBe(403)
    expect((err as SfAuthError).message).not.toContain(oauth.accessToken)
  })

  it('pnpm start reuses both kinds of session from its own emulator', async () => {
    const stdout = await startExample(new URL('..', import.meta.url))
    expect(stdout).toContain(`session ID: ${DEFAULT_USER.username} (User ID ${DEFAULT_USER.userId}`)
    expect(stdout).toContain(
      `access token: ${DEFAULT_USER.username} (User ID ${DEFAULT_USER.userId}`,
    )
  })
})
