import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { inspect, promisify } from 'node:util'
import { SfAuthError } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER, type EmulatorServer } from '@sfauth/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginWithPassword } from '../src/oauth2-password.js'

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
