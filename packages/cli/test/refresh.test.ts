// Refresh-token sessions (SFDX auth URLs) over https, as the Salesforce CLI's auth URLs always
// are, and `sfauth token` run by many processes at once across an expiry, with rotation on.
import { join } from 'node:path'
import {
  createEmulator,
  DEFAULT_APP,
  DEFAULT_USER,
  type Emulator,
  type EmulatorServer,
} from '@sfauth/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientCredentialsArgs, sfauth, tempHome, writeText } from './helpers.js'

const CALLBACK = 'http://localhost:1717/OauthRedirect'
let emu: Emulator
let server: EmulatorServer
let home: Awaited<ReturnType<typeof tempHome>>
let env: Record<string, string>

beforeAll(async () => {
  home = await tempHome()
  emu = createEmulator({ apps: [{ ...DEFAULT_APP, rotateRefreshTokens: true }] })
  server = await emu.listen(0, { tls: true })
  env = { NODE_EXTRA_CA_CERTS: await writeText(join(home.dir, 'ca.pem'), server.certificate!) }
})
afterAll(async () => {
  await server?.close()
  await home?.cleanup()
})

const run = (args: string[], input?: string) =>
  sfauth(args, { config: home.config, env, ...(input ? { input } : {}) })

/** A refresh token as a finished web login leaves one, through the emulator's own handler. */
async function refreshToken(): Promise<string> {
  const code = emu.approve({
    clientId: DEFAULT_APP.clientId,
    username: DEFAULT_USER.username,
    redirectUri: CALLBACK,
    scope: 'api refresh_token',
  })
  const res = await emu.fetch(`${server.url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: DEFAULT_APP.clientId,
      client_secret: DEFAULT_APP.clientSecret!,
      redirect_uri: CALLBACK,
    }),
  })
  return ((await res.json()) as { refresh_token: string }).refresh_token
}

const authUrl = (rt: string) =>
  `force://${DEFAULT_APP.clientId}:${DEFAULT_APP.clientSecret}:${rt}@${new URL(server.url).host}`

describe('sfauth login sfdx-url and auth-url', () => {
  it('logs in from a file over https, never printing the refresh token', async () => {
    const rt = await refreshToken()
    const file = await writeText(join(home.dir, 'auth.txt'), `${authUrl(rt)}\n`)
    const login = await run(['login', 'sfdx-url', '--file', file, '--alias', 'dev', '--json'])
    expect(login.code).toBe(0)
    expect(JSON.parse(login.stdout)).toMatchObject({
      alias: 'dev',
      username: DEFAULT_USER.username,
      instanceUrl: server.url,
      flow: 'sfdx-url',
    })
    expect(login.stdout + login.stderr).not.toContain(rt)
    const list = await run(['list'])
    expect(list.stdout).not.toContain(rt)
  })

  it('logs in from stdin, and from the JSON of `sf org display --verbose --json`', async () => {
    const piped = await run(
      ['login', 'sfdx-url', '-', '--alias', 'piped'],
      authUrl(await refreshToken()),
    )
    expect(piped.code).toBe(0)
    const json = JSON.stringify({
      status: 0,
      result: { sfdxAuthUrl: authUrl(await refreshToken()) },
    })
    const file = await writeText(join(home.dir, 'org.json'), json)
    const fromSf = await run(['login', 'sfdx-url', '--file', file, '--alias', 'from-sf'])
    expect(fromSf.code).toBe(0)
    const token = await run(['token', '--alias', 'from-sf'])
    expect(emu.isValidAccessToken(token.stdout.trim())).toBe(true)
  })

  it('refuses a malformed auth URL without echoing it', async () => {
    const bad = await run(['login', 'sfdx-url', '-', '--json'], 'force://only-an-id@host')
    expect(bad.code).toBe(1)
    const body = JSON.parse(bad.stdout)
    expect(body.errorCode).toBe('INVALID_SFDX_AUTH_URL')
    expect(body.message).not.toContain('only-an-id')
  })

  it('many sfauth token processes across an expiry: one refresh, no replay, the same new token', async () => {
    const first = (await run(['token', '--alias', 'dev'])).stdout.trim()
    emu.expireSessions()
    const before = emu.count('token', 'refresh_token')
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => run(['token', '--alias', 'dev'])),
    )
    for (const r of runs) expect(r.code, r.stderr).toBe(0)
    const tokens = new Set(runs.map((r) => r.stdout.trim()))
    expect(tokens.size).toBe(1)
    const [renewed] = [...tokens]
    expect(renewed).not.toBe(first)
    expect(emu.isValidAccessToken(renewed!)).toBe(true)
    expect(emu.count('token', 'refresh_token')).toBe(before + 1)
  })

  it('auth-url prints the current (rotated) auth URL, which logs in again', async () => {
    const printed = await run(['auth-url', '--alias', 'dev'])
    expect(printed.code).toBe(0)
    const url = printed.stdout.trim()
    expect(url).toMatch(
      new RegExp(
        `^force://${DEFAULT_APP.clientId}:${DEFAULT_APP.clientSecret}:5Aep861[^@]+@127\\.0\\.0\\.1:\\d+$`,
      ),
    )
    const again = await run(['login', 'sfdx-url', '-', '--alias', 'again'], url)
    expect(again.code).toBe(0)
  })

  it('auth-url refuses a session without a refresh token', async () => {
    const login = await run(clientCredentialsArgs(server.url, 'svc'), DEFAULT_APP.clientSecret)
    expect(login.code).toBe(0)
    const res = await run(['auth-url', '--alias', 'svc', '--json'])
    expect(res.code).toBe(1)
    expect(JSON.parse(res.stdout).errorCode).toBe('ERR_NO_REFRESH_TOKEN')
  })
})
