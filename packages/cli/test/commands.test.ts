// Every command as a person or a script runs it: `node dist/cli.js ...` in its own process, with
// its own config directory, against the emulator on 127.0.0.1. Run after `pnpm build`.
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import {
  createEmulator,
  DEFAULT_APP,
  DEFAULT_USER,
  type Emulator,
  type EmulatorServer,
} from '@sfauth/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, jwtKey, jwtLoginArgs, sfauth, tempHome } from './helpers.js'

let emu: Emulator
let server: EmulatorServer
let home: Awaited<ReturnType<typeof tempHome>>
let keyFile: string

beforeAll(async () => {
  home = await tempHome()
  const key = await jwtKey(home.dir)
  keyFile = key.keyFile
  emu = createEmulator({ apps: [{ ...DEFAULT_APP, publicKey: key.publicKey }] })
  server = await emu.listen()
})
afterAll(async () => {
  await server?.close()
  await home?.cleanup()
})

const run = (args: string[], input?: string, env?: Record<string, string>) =>
  sfauth(args, { config: home.config, ...(input ? { input } : {}), ...(env ? { env } : {}) })

const jwtLogin = (alias: string) =>
  run([...jwtLoginArgs(keyFile, server.url), '--alias', alias, '--json'])

describe('sfauth login jwt, token, request, list, logout', () => {
  it('logs in, stores the session privately, and prints who it is', async () => {
    const login = await jwtLogin('ci')
    expect(login.stderr).toBe('')
    expect(login.code).toBe(0)
    expect(JSON.parse(login.stdout)).toEqual({
      alias: 'ci',
      username: DEFAULT_USER.username,
      orgId: DEFAULT_USER.orgId,
      instanceUrl: server.url,
      flow: 'jwt',
    })
    expect((await stat(home.config)).mode & 0o777).toBe(0o700)
    for (const dir of ['sessions', 'logins']) {
      expect((await stat(join(home.config, dir))).mode & 0o777).toBe(0o700)
      for (const file of await readdir(join(home.config, dir))) {
        expect((await stat(join(home.config, dir, file))).mode & 0o777, file).toBe(0o600)
      }
    }
    // The key's path is stored, never the key.
    const record = await readFile(join(home.config, 'logins', 'ci'), 'utf8')
    expect(record).toContain(keyFile)
    expect(record).not.toContain('PRIVATE KEY')
  })

  it('token prints a live access token; after expiry it renews once and prints the new one', async () => {
    const first = await run(['token', '--alias', 'ci'])
    expect(first.code).toBe(0)
    const token = first.stdout.trim()
    expect(emu.isValidAccessToken(token)).toBe(true)
    expect(first.stdout).toBe(`${token}\n`)
    const again = await run(['token', '--alias', 'ci'])
    expect(again.stdout.trim()).toBe(token)

    emu.expireSessions()
    const before = emu.count('token')
    const renewed = await run(['token', '--alias', 'ci', '--json'])
    expect(renewed.code).toBe(0)
    const body = JSON.parse(renewed.stdout)
    expect(body).toMatchObject({ alias: 'ci', instanceUrl: server.url })
    expect(body.accessToken).not.toBe(token)
    expect(emu.isValidAccessToken(body.accessToken)).toBe(true)
    expect(emu.count('token')).toBe(before + 1)
  })

  it('request makes one authenticated call and prints the JSON answer', async () => {
    const res = await run(['request', 'query?q=SELECT+Username+FROM+User', '--alias', 'ci'])
    expect(res.code).toBe(0)
    expect(JSON.parse(res.stdout)).toMatchObject({ records: [{ Username: DEFAULT_USER.username }] })
    const bad = await run(['request', 'query?q=SELECT+Id+FROM+Nope', '--alias', 'ci', '--json'])
    expect(bad.code).toBe(1)
    expect(JSON.parse(bad.stdout)).toMatchObject({ errorCode: 'INVALID_TYPE', status: 400 })
  })

  it('list shows the session with the token masked', async () => {
    const token = (await run(['token', '--alias', 'ci'])).stdout.trim()
    const human = await run(['list'])
    expect(human.code).toBe(0)
    expect(human.stdout).toContain(
      `* ci  ${DEFAULT_USER.username}  ${server.url}  jwt  ${token.slice(0, 6)}`,
    )
    expect(human.stdout).not.toContain(token)
    const json = JSON.parse((await run(['list', '--json'])).stdout)
    expect(json).toEqual([
      expect.objectContaining({
        alias: 'ci',
        default: true,
        accessToken: `${token.slice(0, 6)}\u2026[redacted]`,
      }),
    ])
  })

  it('logout revokes the session at the org, then deletes it here', async () => {
    const token = (await run(['token', '--alias', 'ci'])).stdout.trim()
    const out = await run(['logout', '--alias', 'ci'])
    expect(out.code).toBe(0)
    expect(emu.isValidAccessToken(token)).toBe(false)
    expect(JSON.parse((await run(['list', '--json'])).stdout)).toEqual([])
    const gone = await run(['token', '--alias', 'ci', '--json'])
    expect(gone.code).toBe(3)
    expect(JSON.parse(gone.stdout).errorCode).toBe('ERR_NOT_LOGGED_IN')
  })
})

describe('sfauth login client-credentials', () => {
  const args = ['login', 'client-credentials', '--client-id', DEFAULT_APP.clientId]

  it('takes the secret from stdin, never shows it, and renews with it', async () => {
    const login = await run(
      [...args, '--instance-url', server.url, '--alias', 'svc'],
      `${DEFAULT_APP.clientSecret}\n`,
    )
    expect(login.code).toBe(0)
    expect(login.stdout).toContain('Logged in as demo@example.com')
    expect(login.stdout + login.stderr).not.toContain(DEFAULT_APP.clientSecret)
    emu.expireSessions()
    const token = await run(['token', '--alias', 'svc'])
    expect(token.code).toBe(0)
    expect(emu.isValidAccessToken(token.stdout.trim())).toBe(true)
  })

  it('takes it from SFAUTH_CLIENT_SECRET; a wrong one fails without echoing it', async () => {
    const ok = await run(
      [...args, '--instance-url', server.url, '--alias', 'svc2', '--json'],
      undefined,
      {
        SFAUTH_CLIENT_SECRET: DEFAULT_APP.clientSecret!,
      },
    )
    expect(ok.code).toBe(0)
    const wrong = 'not-the-secret-4242'
    const bad = await run([...args, '--instance-url', server.url, '--json'], undefined, {
      SFAUTH_CLIENT_SECRET: wrong,
    })
    expect(bad.code).toBe(1)
    expect(JSON.parse(bad.stdout)).toMatchObject({ errorCode: 'invalid_client', status: 400 })
    expect(bad.stdout + bad.stderr).not.toContain(wrong)
  })

  it('refuses the secret as a flag, and asks for it when there is none', async () => {
    const flag = await run([...args, '--instance-url', server.url, '--client-secret', 'x'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toContain("Unknown option '--client-secret'")
    const none = await run([...args, '--instance-url', server.url, '--json'])
    expect(none.code).toBe(2)
    expect(JSON.parse(none.stdout).errorCode).toBe('ERR_NO_SECRET')
  })
})

describe('errors', () => {
  it('a refused login exits 1 with Salesforce code and no secret; usage mistakes exit 2', async () => {
    const refused = await run([
      ...jwtLoginArgs(keyFile, server.url, 'nobody@example.com'),
      '--json',
    ])
    expect(refused.code).toBe(1)
    expect(JSON.parse(refused.stdout)).toMatchObject({ errorCode: 'invalid_grant' })
    expect(refused.stdout).not.toContain('PRIVATE')
    const unknown = await run(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/^sfauth: Unknown command: frobnicate\n/)
    const missing = await run(['login', 'jwt', '--json'])
    expect(missing.code).toBe(2)
    expect(JSON.parse(missing.stdout)).toEqual({
      errorCode: 'ERR_USAGE',
      message: '--client-id is required',
    })
    const help = await run(['token', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Example:')
  })

  it('prints no colour codes when stdout is not a terminal', async () => {
    const res = await run(['list'])
    expect(res.stdout + res.stderr).not.toContain('\u001b[')
  })
})

describe('sfauth emulator', () => {
  it('runs the emulator server, prints its URL and credentials, and stops on SIGTERM', async () => {
    const { spawn } = await import('node:child_process')
    const child = spawn(process.execPath, [CLI, 'emulator', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const line = await new Promise<string>((resolve) => {
      let out = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk
        if (out.includes('\n')) resolve(out)
      })
    })
    const summary = JSON.parse(line)
    expect(summary).toMatchObject({
      loopbackOnly: true,
      users: [{ username: DEFAULT_USER.username }],
    })
    const res = await fetch(`${summary.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: DEFAULT_APP.clientId,
        client_secret: DEFAULT_APP.clientSecret!,
      }),
    })
    expect(res.status).toBe(200)
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
