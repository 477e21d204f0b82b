import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { SfAuthError } from '@sfauth/core'
import { createEmulator, DEFAULT_USER, type EmulatorServer } from '@sfauth/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginWithSoap } from '../src/soap-login.js'

/**
 * The environment for running src/main.ts against its own emulator: every variable of
 * .env.example blanked, since a variable that is set (even empty) wins over a local .env.
 */
function emulatorEnv(): NodeJS.ProcessEnv {
  const names = readFileSync(new URL('../.env.example', import.meta.url), 'utf8').match(/^SF_\w+/gm)
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SF_')))
  return { ...env, ...Object.fromEntries((names ?? []).map((name) => [name, ''])) }
}

const emu = createEmulator()
let server: EmulatorServer
beforeAll(async () => {
  server = await emu.listen()
})
afterAll(() => server.close())

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
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts'],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: emulatorEnv(),
      },
    )
    expect(stdout).toContain(`User ID: ${DEFAULT_USER.userId}`)
    expect(stdout).toContain(`Org ID: ${DEFAULT_USER.orgId}`)
    expect(stdout).toMatch(/access token: \S+…\[redacted\]/)
  })
})
