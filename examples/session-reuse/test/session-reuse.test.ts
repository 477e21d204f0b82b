import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Connection, SfAuthError } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER, type EmulatorServer } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { soapLogin } from '@sfauth/soap-login'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reuseAccessToken, reuseSessionId } from '../src/session-reuse.js'

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
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts'],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: emulatorEnv(),
      },
    )
    expect(stdout).toContain(`session ID: ${DEFAULT_USER.username} (User ID ${DEFAULT_USER.userId}`)
    expect(stdout).toContain(
      `access token: ${DEFAULT_USER.username} (User ID ${DEFAULT_USER.userId}`,
    )
  })
})
