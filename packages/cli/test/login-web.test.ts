// `sfauth login web` end to end: the command in its own process waits on its loopback callback
// server, headless Chromium (from npm) opens the printed URL and completes the emulator's login
// and consent pages, Salesforce-style, and the browser comes back to the command.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import {
  createEmulator,
  DEFAULT_APP,
  DEFAULT_USER,
  type Emulator,
  type EmulatorServer,
} from '@sfauth/emulator'
import { type LaunchedBrowser, launchChromium } from '@sfauth/test-browser'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CLI, cliEnv, freePort, type Result, sfauth, tempHome } from './helpers.js'

let emu: Emulator
let server: EmulatorServer
let home: Awaited<ReturnType<typeof tempHome>>
let browser: LaunchedBrowser
let port: number

beforeAll(async () => {
  home = await tempHome()
  port = await freePort()
  emu = createEmulator({
    apps: [
      { ...DEFAULT_APP, redirectUris: [`http://localhost:${port}/OauthRedirect`] },
      // A public app, like the Salesforce CLI's own: PKCE, no secret.
      {
        clientId: 'PublicCli',
        requireSecret: false,
        redirectUris: [`http://localhost:${port}/OauthRedirect`],
      },
    ],
  })
  server = await emu.listen()
  browser = await launchChromium({ localhost: true })
})
const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await home?.cleanup()
})

interface Running {
  child: ChildProcess
  /** Resolves to the login URL once the command has printed it. */
  url: Promise<string>
  done: Promise<Result>
}

/** Starts `sfauth login web ...` and lets the test read what it prints while it waits. */
function startLogin(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [CLI, 'login', 'web', ...args], {
    env: cliEnv(home.config, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  let found: (url: string) => void = () => {}
  const url = new Promise<string>((resolve) => {
    found = resolve
  })
  child.stdout?.setEncoding('utf8').on('data', (c: string) => {
    stdout += c
  })
  child.stderr?.setEncoding('utf8').on('data', (c: string) => {
    stderr += c
    const match = /^ {2}(https?:\/\/\S+)$/m.exec(stderr)
    if (match?.[1] && /Waiting for the login/.test(stderr)) found(match[1])
  })
  const done = new Promise<Result>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  )
  return { child, url, done }
}

/** `sfauth login web` as the public app (PKCE, no secret), called back on the test's port. */
const publicLogin = (...more: string[]) =>
  startLogin([
    '--client-id',
    'PublicCli',
    '--login-url',
    server.url,
    '--port',
    String(port),
    ...more,
  ])

/** What a person does in the browser: the emulator's login form, then Allow. */
async function completeInBrowser(url: string): Promise<string> {
  const page = await browser.context.newPage()
  try {
    await page.goto(url)
    await page.fill('#username', DEFAULT_USER.username)
    await page.fill('#password', DEFAULT_USER.password)
    await page.click('#Login')
    await page.waitForSelector('#oaapprove')
    await page.click('#oaapprove')
    await page.waitForURL(/\/OauthRedirect\?/)
    return (await page.textContent('h1')) ?? ''
  } finally {
    await page.close()
  }
}

describe('sfauth login web', () => {
  it('PKCE and state through the browser, back to the loopback callback, stored and usable', async () => {
    const login = publicLogin('--no-browser', '--alias', 'web', '--json')
    const url = new URL(await login.url)
    expect(url.origin).toBe(server.url)
    expect(url.searchParams.get('redirect_uri')).toBe(`http://localhost:${port}/OauthRedirect`)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{16,}$/)
    expect(await completeInBrowser(url.href)).toBe('Logged in')
    const result = await login.done
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      alias: 'web',
      username: DEFAULT_USER.username,
      flow: 'web',
    })
    const token = await sfauth(['token', '--alias', 'web'], { config: home.config })
    expect(emu.isValidAccessToken(token.stdout.trim())).toBe(true)
    expect(emu.count('token', 'authorization_code')).toBe(1)
  })

  it('opens the system browser ($BROWSER) unless --no-browser', async () => {
    const opened = join(home.dir, 'opened-url')
    const fakeBrowser = join(home.dir, 'fake-browser.sh')
    await writeFile(fakeBrowser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`, { mode: 0o700 })
    const login = startLogin(
      [
        '--client-id',
        DEFAULT_APP.clientId,
        '--login-url',
        server.url,
        '--port',
        String(port),
        '--timeout',
        '30',
      ],
      { BROWSER: fakeBrowser, SFAUTH_CLIENT_SECRET: DEFAULT_APP.clientSecret! },
    )
    const url = await login.url
    await expect.poll(() => readFile(opened, 'utf8').catch(() => '')).toBe(url)
    expect(await completeInBrowser(url)).toBe('Logged in')
    const result = await login.done
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('Opened the browser to log in.')
    expect(result.stdout).toContain(`Logged in as ${DEFAULT_USER.username}`)
    expect(result.stdout + result.stderr).not.toContain(DEFAULT_APP.clientSecret)
  })

  it('a denied consent fails with Salesforce code, and the browser is told', async () => {
    const login = publicLogin('--no-browser', '--json')
    const page = await browser.context.newPage()
    await page.goto(await login.url)
    await page.fill('#username', DEFAULT_USER.username)
    await page.fill('#password', DEFAULT_USER.password)
    await page.click('#Login')
    await page.click('#oadeny')
    await page.waitForURL(/\/OauthRedirect\?/)
    expect(await page.textContent('h1')).toBe('Login failed')
    await page.close()
    const result = await login.done
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({ errorCode: 'access_denied' })
  })

  it('a callback with another state is refused', async () => {
    const login = publicLogin('--no-browser', '--json')
    await login.url
    const forged = await fetch(`http://127.0.0.1:${port}/OauthRedirect?code=stolen&state=forged`)
    expect(forged.status).toBe(400)
    const result = await login.done
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout).errorCode).toBe('ERR_STATE_MISMATCH')
    expect(emu.count('token', 'authorization_code')).toBe(2)
  })

  it('says clearly when the port is taken, and when nobody logs in in time', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve))
    try {
      const busy = await publicLogin('--no-browser').done
      expect(busy.code).toBe(4)
      expect(busy.stderr).toContain(`sfauth: Port ${port} is taken on this machine`)
    } finally {
      await new Promise((resolve) => taken.close(resolve))
    }
    const late = await publicLogin('--no-browser', '--timeout', '1').done
    expect(late.code).toBe(4)
    expect(late.stderr).toContain('Waiting for the login to finish in the browser')
    expect(late.stderr).toContain('sfauth: No login arrived within 1 s.')
  })
})
