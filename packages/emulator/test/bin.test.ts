// The built command, run as a person or a script runs it: `node dist/bin.js` in its own process,
// talked to over loopback, stopped by a signal. Run after `pnpm build`.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { request as httpsRequest } from 'node:https'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportSPKI, generateKeyPair } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_APP, DEFAULT_USER } from '../src/index.js'

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url))
const children: ChildProcess[] = []
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfauth-emulator-bin-'))
})
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

interface Run {
  child: ChildProcess
  stdout: string
  stderr: string
  exit: Promise<number | null>
}

/** Starts the command and waits until it has printed `lines` lines on stdout (or exited). */
function start(args: string[], lines = 1): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  }
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    run.stderr += chunk
  })
  return new Promise((resolve) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      run.stdout += chunk
      if (run.stdout.split('\n').length > lines) resolve(run)
    })
    void run.exit.then(() => resolve(run))
  })
}

function passwordLogin(url: string, username: string, password: string): Promise<Response> {
  return fetch(`${url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: DEFAULT_APP.clientId,
      client_secret: DEFAULT_APP.clientSecret!,
      username,
      password,
    }),
  })
}

describe('sfauth-emulator (the bin of @sfauth/emulator)', () => {
  it('--json prints the URL and credentials, serves on loopback, and stops cleanly on SIGTERM', async () => {
    const run = await start(['--json'])
    const summary = JSON.parse(run.stdout)
    expect(summary).toMatchObject({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      host: '127.0.0.1',
      loopbackOnly: true,
      users: [
        {
          username: DEFAULT_USER.username,
          password: DEFAULT_USER.password,
          securityToken: DEFAULT_USER.securityToken,
        },
      ],
      apps: [
        {
          clientId: DEFAULT_APP.clientId,
          clientSecret: DEFAULT_APP.clientSecret,
          jwtBearer: false,
        },
      ],
    })
    const res = await passwordLogin(
      summary.url,
      DEFAULT_USER.username,
      DEFAULT_USER.password + DEFAULT_USER.securityToken,
    )
    expect(res.status).toBe(200)
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
    await expect(fetch(`${summary.url}/services/data`)).rejects.toThrow()
  })

  it('prints a banner a person can read: where it listens, that it is loopback only, how to log in', async () => {
    const run = await start([], 3)
    expect(run.stdout).toMatch(/^Salesforce emulator listening on http:\/\/127\.0\.0\.1:\d+\n/)
    expect(run.stdout).toContain('Loopback only (127.0.0.1): other machines cannot reach it.')
    run.child.kill('SIGINT')
    expect(await run.exit).toBe(0)
    expect(run.stdout).toContain(`password:       ${DEFAULT_USER.password}`)
    expect(run.stdout).toContain(`security token: ${DEFAULT_USER.securityToken}`)
    expect(run.stdout).toContain(`client secret:  ${DEFAULT_APP.clientSecret}`)
    expect(run.stdout).toContain('add "publicKeyFile" or "certificateFile"')
    expect(run.stderr).toBe('Stopped (SIGINT).\n')
  })

  it('--https makes a certificate, prints its path for clients to trust, and removes it at stop', async () => {
    const run = await start(['--https', '--json'])
    const summary = JSON.parse(run.stdout)
    expect(summary.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const ca = await readFile(summary.certificatePath, 'utf8')
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/)
    const status = await new Promise<number>((resolve, reject) => {
      httpsRequest(`${summary.url}/services/oauth2/userinfo`, { ca }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
        .on('error', reject)
        .end()
    })
    expect(status).toBe(403)
    run.child.kill('SIGINT')
    expect(await run.exit).toBe(0)
    expect(existsSync(summary.certificatePath)).toBe(false)
  })

  it('--config sets users, apps (keys from files), the org and session expiry', async () => {
    const { publicKey } = await generateKeyPair('RS256')
    await writeFile(join(dir, 'jwt.pub'), await exportSPKI(publicKey))
    const config = join(dir, 'emulator.json')
    await writeFile(
      config,
      JSON.stringify({
        users: [{ username: 'ci@example.com', password: 'ci-password' }],
        apps: [
          {
            clientId: DEFAULT_APP.clientId,
            clientSecret: DEFAULT_APP.clientSecret,
            publicKeyFile: 'jwt.pub',
            rotateRefreshTokens: true,
          },
        ],
        organization: { name: 'Initech', devHub: true },
        sessionSecondsValid: 60,
      }),
    )
    const run = await start(['--config', config, '--json'])
    const summary = JSON.parse(run.stdout)
    expect(summary.apps).toEqual([
      expect.objectContaining({ jwtBearer: true, rotateRefreshTokens: true }),
    ])
    expect((await passwordLogin(summary.url, DEFAULT_USER.username, 'x')).status).toBe(400)
    const login = await passwordLogin(summary.url, 'ci@example.com', 'ci-password')
    expect(login.status).toBe(200)
    const { access_token: token } = (await login.json()) as { access_token: string }
    const org = await fetch(
      `${summary.url}/services/data/v64.0/query?q=${encodeURIComponent('SELECT Name FROM Organization')}`,
      { headers: { Authorization: `Bearer ${token}` } },
    )
    expect(await org.json()).toMatchObject({ records: [{ Name: 'Initech' }] })
    const hub = await fetch(
      `${summary.url}/services/data/v64.0/query?q=${encodeURIComponent('SELECT Id FROM ScratchOrgInfo')}`,
      { headers: { Authorization: `Bearer ${token}` } },
    )
    expect(hub.status).toBe(200)
    const introspect = await fetch(`${summary.url}/services/oauth2/introspect`, {
      method: 'POST',
      body: new URLSearchParams({
        token,
        client_id: DEFAULT_APP.clientId,
        client_secret: DEFAULT_APP.clientSecret!,
      }),
    })
    const claims = (await introspect.json()) as { exp: number; iat: number }
    expect(claims.exp - claims.iat).toBe(60)
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
  })

  it('exits 2 with the usage for an unknown flag, a bad port and a config it cannot use', async () => {
    const flag = await start(['--nope'])
    expect(await flag.exit).toBe(2)
    expect(flag.stderr).toMatch(/Unknown option '--nope'/)
    expect(flag.stderr).toContain('Usage: sfauth-emulator')
    expect(await (await start(['--port', 'x'])).exit).toBe(2)
    const config = join(dir, 'bad.json')
    await writeFile(config, JSON.stringify({ user: [] }))
    const bad = await start(['--config', config, '--json'])
    expect(await bad.exit).toBe(2)
    expect(JSON.parse(bad.stdout)).toMatchObject({
      errorCode: 'ERR_USAGE',
      message: expect.stringContaining('Unknown key'),
    })
    expect(await (await start(['--config', join(dir, 'missing.json')])).exit).toBe(2)
  })

  it('says clearly when the port is taken, and exits 1', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as { port: number }).port
    try {
      const run = await start(['--port', String(port)])
      expect(await run.exit).toBe(1)
      expect(run.stderr).toBe(
        `Port ${port} is already in use on 127.0.0.1: pick another with --port, or --port 0 for any free one.\n`,
      )
    } finally {
      taken.close()
    }
  })

  it('--help shows an example and exits 0', async () => {
    const run = await start(['--help'])
    expect(await run.exit).toBe(0)
    expect(run.stdout).toContain('Example:')
  })
})
