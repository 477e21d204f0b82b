import { SfAuthError } from '@sfauth/core'
import { DEFAULT_USER } from '@sfauth/emulator'
import { startExample } from '@sfauth/test-kit/env'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { describe, expect, it } from 'vitest'
import { loginWithSoap } from '../src/soap-login.js'

const server = useLoopbackEmulator()
const { emu } = server

describe('SOAP login example', () => {
  it('logs in with username and password + security token and gets a live session', async () => {
    const { conn, userInfo } = await loginWithSoap({
      loginUrl: server.url,
      username: DEFAULT_USER.username,
      password: DEFAULT_USER.password + DEFAULT_USER.securityToken,
    })
    expect(userInfo.id).toBe(DEFAULT_USER.userId)
    expect(userInfo.organizationId).toBe(DEFAULT_USER.orgId)
    expect(conn.instanceUrl).toBe(server.url)
    expect(emu.isValidAccessToken(conn.accessToken!)).toBe(true)
  })

  it('rejects a wrong password with INVALID_LOGIN', async () => {
    const err = await loginWithSoap({
      loginUrl: server.url,
      username: DEFAULT_USER.username,
      password: 'wrong-password',
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect((err as SfAuthError).errorCode).toBe('INVALID_LOGIN')
    expect((err as SfAuthError).message).not.toContain('wrong-password')
  })

  it('pnpm start runs against its own emulator and prints who logged in, token masked', async () => {
    const stdout = await startExample(new URL('..', import.meta.url))
    expect(stdout).toContain(`User ID: ${DEFAULT_USER.userId}`)
    expect(stdout).toContain(`Org ID: ${DEFAULT_USER.orgId}`)
    expect(stdout).toMatch(/access token: \S+…\[redacted\]/)
  })
})
