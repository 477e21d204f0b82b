// `sfauth open` end to end: its own process gets a single-use frontdoor URL from the emulator on
// 127.0.0.1 and hands it to $BROWSER (a script that records what it was given), or prints it
// when asked; the URL is then visited the way a browser would, to see it logs in once.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createEmulator, DEFAULT_APP, type Emulator, type EmulatorServer } from '@sfauth/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientCredentialsArgs, sfauth, tempHome } from './helpers.js'

let emu: Emulator
let server: EmulatorServer
let home: Awaited<ReturnType<typeof tempHome>>
let fakeBrowser: string
let opened: string

beforeAll(async () => {
  home = await tempHome()
  emu = createEmulator()
  server = await emu.listen()
  opened = join(home.dir, 'opened.txt')
  fakeBrowser = join(home.dir, 'fake-browser.cjs')
  await writeFile(
    fakeBrowser,
    `#!${process.execPath}\nrequire('node:fs').appendFileSync(${JSON.stringify(opened)}, process.argv.slice(2).join(' ') + '\\n')\n`,
    { mode: 0o700 },
  )
  const login = await run(clientCredentialsArgs(server.url, 'svc'), {}, DEFAULT_APP.clientSecret)
  expect(login.code, login.stderr).toBe(0)
})
afterAll(async () => {
  await server?.close()
  await home?.cleanup()
})

const run = (args: string[], env: Record<string, string> = {}, input?: string) =>
  sfauth(args, { config: home.config, env, ...(input ? { input } : {}) })

const MASKED = () => `${server.url}/secur/frontdoor.jsp?[single-use credential, read .url]`

/** Visits a URL as a browser would, one hop: the status, where it sends on, the cookie it sets. */
async function visit(url: string, cookie?: string) {
  const res = await fetch(url, {
    redirect: 'manual',
    ...(cookie ? { headers: { cookie } } : {}),
  })
  return {
    status: res.status,
    location: res.headers.get('location'),
    cookie: res.headers.get('set-cookie')?.split(';')[0],
    text: await res.text(),
  }
}

/** Checks a frontdoor URL logs a browser in once, landing on `path`, and is spent after. */
async function logsInOnce(url: string, path: string): Promise<void> {
  expect(new URL(url).origin).toBe(server.url)
  const first = await visit(url)
  expect(first.status).toBe(302)
  expect(first.cookie).toMatch(/^sid=.+/)
  const landing = new URL(first.location!, url)
  expect(landing.pathname).toBe(path)
  const page = await visit(landing.href, first.cookie)
  expect(page.status).toBe(200)
  expect(page.text).toContain('Logged in as')
  const again = await visit(url)
  expect(again.cookie).toBeUndefined()
  expect(new URL(again.location!, url).searchParams.get('ec')).toBe('302')
}

describe('sfauth open', () => {
  it('--url-only prints only a single-use URL, which logs in once and lands on --path', async () => {
    const res = await run([
      'open',
      '--url-only',
      '--alias',
      'svc',
      '--path',
      '/lightning/setup/SetupOneHome/home',
    ])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stderr).toBe('')
    expect(res.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/secur\/frontdoor\.jsp\?otp=[^\s]+\n$/)
    await logsInOnce(res.stdout.trim(), '/lightning/setup/SetupOneHome/home')
  })

  it('opens $BROWSER with a URL that works once, and prints it only masked', async () => {
    await writeFile(opened, '')
    const res = await run(['open', '--alias', 'svc'], { BROWSER: fakeBrowser })
    expect(res.code, res.stderr).toBe(0)
    await expect.poll(() => readFile(opened, 'utf8'), { timeout: 5000 }).toMatch(/\n$/)
    const lines = (await readFile(opened, 'utf8')).trim().split('\n')
    expect(lines).toHaveLength(1)
    const url = lines[0]!
    const otp = new URL(url).searchParams.get('otp')!
    expect(otp).toBeTruthy()
    expect(res.stdout + res.stderr).not.toContain(otp)
    expect(res.stdout).toBe(`Opened ${MASKED()} in the browser (a single-use URL, not shown).\n`)
    await logsInOnce(url, '/lightning/page/home')
  })

  it('--json: the URL masked unless --url-only asks for it', async () => {
    await writeFile(opened, '')
    const masked = await run(['open', '--json'], { BROWSER: fakeBrowser })
    expect(masked.code, masked.stderr).toBe(0)
    expect(JSON.parse(masked.stdout)).toEqual({
      alias: 'svc',
      instanceUrl: server.url,
      url: MASKED(),
      opened: true,
    })
    await expect.poll(() => readFile(opened, 'utf8'), { timeout: 5000 }).toMatch(/otp=/)
    const otp = new URL((await readFile(opened, 'utf8')).trim()).searchParams.get('otp')!
    expect(masked.stdout).not.toContain(otp)

    const shown = await run(['open', '--json', '--url-only'], { BROWSER: fakeBrowser })
    expect(shown.code, shown.stderr).toBe(0)
    const body = JSON.parse(shown.stdout)
    expect(body).toEqual({
      alias: 'svc',
      instanceUrl: server.url,
      url: expect.stringMatching(/\/secur\/frontdoor\.jsp\?otp=/),
      opened: false,
    })
    await logsInOnce(body.url, '/lightning/page/home')
    // --url-only opens nothing.
    expect((await readFile(opened, 'utf8')).trim().split('\n')).toHaveLength(1)
  })

  it('--no-browser gets a URL, opens nothing and shows it masked', async () => {
    await writeFile(opened, '')
    const before = emu.count('singleaccess')
    const res = await run(['open', '--no-browser', '--json'], { BROWSER: fakeBrowser })
    expect(res.code, res.stderr).toBe(0)
    expect(JSON.parse(res.stdout)).toMatchObject({ url: MASKED(), opened: false })
    expect(emu.count('singleaccess')).toBe(before + 1)
    await new Promise((r) => setTimeout(r, 200))
    expect(await readFile(opened, 'utf8')).toBe('')
  })

  it('--path that is not a path on the instance is a usage error, before any call', async () => {
    const before = emu.count('singleaccess')
    for (const path of ['lightning/page/home', 'https://evil.example/', '//evil.example/x']) {
      const res = await run(['open', '--url-only', '--path', path, '--json'])
      expect(res.code).toBe(2)
      expect(JSON.parse(res.stdout).errorCode).toBe('ERR_USAGE')
    }
    const human = await run(['open', '--path', 'home'])
    expect(human.code).toBe(2)
    expect(human.stderr).toContain('--path must be a path on the instance')
    expect(emu.count('singleaccess')).toBe(before)
  })

  it('renews an expired session once and saves it for the next command', async () => {
    emu.expireSessions()
    const before = emu.count('token', 'client_credentials')
    const res = await run(['open', '--url-only'])
    expect(res.code, res.stderr).toBe(0)
    expect(emu.count('token', 'client_credentials')).toBe(before + 1)
    await logsInOnce(res.stdout.trim(), '/lightning/page/home')
    // The renewed token was stored: the next command uses it without renewing again.
    const token = await run(['token'])
    expect(token.code, token.stderr).toBe(0)
    expect(emu.isValidAccessToken(token.stdout.trim())).toBe(true)
    expect(emu.count('token', 'client_credentials')).toBe(before + 1)
  })

  it('a browser that cannot start is an error that does not print the URL', async () => {
    const res = await run(['open', '--json'], { BROWSER: join(home.dir, 'no-such-browser') })
    expect(res.code).toBe(1)
    const body = JSON.parse(res.stdout)
    expect(body.errorCode).toBe('ERR_NO_BROWSER')
    expect(res.stdout + res.stderr).not.toContain('otp=')
    expect(res.stdout + res.stderr).not.toContain('frontdoor.jsp')
  })

  it('an unknown alias is "no stored session" (exit 3)', async () => {
    const res = await run(['open', '--alias', 'nobody', '--url-only'])
    expect(res.code).toBe(3)
    expect(res.stdout).toBe('')
  })
})
