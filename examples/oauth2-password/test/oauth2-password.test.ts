import { inspect } from 'node:util'
import { SfAuthError } from '@sfauth/core'
import { DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { startExample } from '@sfauth/test-kit/env'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { describe, expect, it } from 'vitest'
import { loginWithPassword } from '../src/oauth2-password.js'

const server = useLoopbackEmulator()
const { emu } = server

const options = () => ({
  loginUrl: server.url,
  clientId: DEFAULT_APP.clientId,
  clientSecret: DEFAULT_APP.clientSecret,
  username: DEFAULT_USER.username,
  password: DEFAULT_USER.password + DEFAULT_USER.securityToken,
})

describe('OAuth2 password example', () => {
  it('logs in with the password grant and gets a live session', async () => {
    emu.resetCalls()
    const { conn, userInfo } = await loginWithPassword(options())
    expect(userInfo.id).toBe(DEFAULT_USER.userId)
    expect(userInfo.organizationId).toBe(DEFAULT_USER.orgId)
    expect(conn.instanceUrl).toBe(server.url)
    expect(emu.count('token', 'password')).toBe(1)
    expect(emu.isValidAccessToken(conn.accessToken!)).toBe(true)
  })

  it('keeps the client secret and the password out of JSON and inspect output', async () => {
    const { conn } = await loginWithPassword(options())
    for (const view of [JSON.stringify(conn), inspect(conn, { depth: 5 })]) {
      expect(view).not.toContain(DEFAULT_APP.clientSecret)
      expect(view).not.toContain(DEFAULT_USER.password)
      expect(view).not.toContain(conn.accessToken)
    }
  })

  it('rejects a password without the security token with invalid_grant', async () => {
    const err = await loginWithPassword({ ...options(), password: DEFAULT_USER.password }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(SfAuthError)
    expect((err as SfAuthError).errorCode).toBe('invalid_grant')
    expect((err as SfAuthError).status).toBe(400)
    expect((err as SfAuthError).message).not.toContain(DEFAULT_USER.password)
  })

  it('pnpm start runs against its own emulator and prints who logged in, token masked', async () => {
    const stdout = await startExample(new URL('..', import.meta.url))
    expect(stdout).toContain(`User ID: ${DEFAULT_USER.userId}`)
    expect(stdout).toContain(`Org ID: ${DEFAULT_USER.orgId}`)
    expect(stdout).toMatch(/access token: \S+…\[redacted\]/)
  })
})
