import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Connection } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER, type EmulatorServer } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { soapLogin } from '@sfauth/soap-login'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isAlive, logoutAccessToken, logoutSessionId } from '../src/logout.js'

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
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts'],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: emulatorEnv(),
      },
    )
    expect(stdout).toContain('session ID logged out (SOAP logout); still accepted: false')
    expect(stdout).toContain('access token logged out (revoked); still accepted: false')
  })
})
