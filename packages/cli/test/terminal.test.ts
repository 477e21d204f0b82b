// What a person sees in a real terminal: the commands run inside tmux (a pseudo-terminal, as in
// an interactive shell), and the test reads the screen.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import {
  createEmulator,
  DEFAULT_APP,
  DEFAULT_USER,
  type Emulator,
  type EmulatorServer,
} from '@sfauth/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, freePort, jwtKey, jwtLoginArgs, sfauth, tempHome } from './helpers.js'

const exec = promisify(execFile)
/** A tmux server of its own (-L), so no tmux session of the machine's user is touched. */
const SOCKET = `sfauth-test-${process.pid}`
const tmux = (...args: string[]) => exec('tmux', ['-L', SOCKET, ...args])

let emu: Emulator
let server: EmulatorServer
let home: Awaited<ReturnType<typeof tempHome>>
let port: number

beforeAll(async () => {
  home = await tempHome()
  port = await freePort()
  const { keyFile, publicKey } = await jwtKey(home.dir)
  emu = createEmulator({
    apps: [
      { ...DEFAULT_APP, publicKey },
      {
        clientId: 'PublicCli',
        requireSecret: false,
        redirectUris: [`http://localhost:${port}/OauthRedirect`],
      },
    ],
  })
  server = await emu.listen()
  const login = await sfauth([...jwtLoginArgs(keyFile, server.url), '--alias', 'ci'], {
    config: home.config,
  })
  expect(login.code, login.stderr).toBe(0)
})
afterAll(async () => {
  await tmux('kill-server').catch(() => undefined)
  await server?.close()
  await home?.cleanup()
})

async function screen(): Promise<string> {
  return (await tmux('capture-pane', '-p', '-J', '-t', 'sfauth')).stdout
}

/** Reads the screen until `pattern` shows (or 20 s pass). */
async function waitFor(pattern: RegExp): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const text = await screen()
    if (pattern.test(text)) return text
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`not on screen: ${pattern}\n${await screen()}`)
}

/** The emulator's login and consent pages, submitted as a browser would, over plain HTTP. */
async function approve(url: string): Promise<void> {
  const post = async (page: string, extra: Record<string, string>) => {
    const action = /<form[^>]*action="([^"]*)"/.exec(page)?.[1]?.replace(/&amp;/g, '&') ?? ''
    const fields = new URLSearchParams()
    for (const [input] of page.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(input)?.[1]
      const value = /value="([^"]*)"/.exec(input)?.[1] ?? ''
      if (name) fields.set(name, value.replace(/&quot;/g, '"').replace(/&amp;/g, '&'))
    }
    for (const [k, v] of Object.entries(extra)) fields.set(k, v)
    return fetch(new URL(action, url), { method: 'POST', body: fields, redirect: 'manual' })
  }
  const consent = await post(await (await fetch(url)).text(), {
    username: DEFAULT_USER.username,
    password: DEFAULT_USER.password,
  })
  const callback = await post(await consent.text(), { action: 'allow' })
  await fetch(callback.headers.get('location')!)
}

describe('in a terminal', () => {
  it('shows the masked token in list, the URL and the waiting line during a web login, then who logged in', async () => {
    const token = (await sfauth(['token', '--alias', 'ci'], { config: home.config })).stdout.trim()
    const cli = `${process.execPath} ${CLI}`
    const script = [
      `export SFAUTH_CONFIG_DIR='${home.config}' HOME='${home.config}'`,
      `${cli} list`,
      `${cli} login web --client-id PublicCli --login-url ${server.url} --port ${port} --no-browser --alias web`,
      'echo "exit=$?"',
      'sleep 60',
    ].join('; ')
    await tmux('new-session', '-d', '-s', 'sfauth', '-x', '250', '-y', '50', 'sh', '-c', script)
    const waiting = await waitFor(/Waiting for the login to finish in the browser/)
    expect(waiting).toContain(
      `* ci  ${DEFAULT_USER.username}  ${server.url}  jwt  ${token.slice(0, 6)}\u2026[redacted]`,
    )
    expect(waiting).not.toContain(token)
    expect(waiting).toContain('Open this URL in a browser to log in:')
    expect(waiting).toMatch(
      new RegExp(
        `Waiting for the login to finish in the browser \\(callback http://localhost:${port}/OauthRedirect, up to 300 s; Ctrl\\+C to cancel\\)\\.\\.\\.`,
      ),
    )
    const url = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/authorize\?\S+)$/m.exec(
      waiting,
    )?.[1]
    expect(url).toBeDefined()
    await approve(url!)
    const done = await waitFor(/exit=\d/)
    expect(done).toContain(
      `Logged in as ${DEFAULT_USER.username} on ${server.url} (web), stored as "web".`,
    )
    expect(done).toContain('exit=0')
  })
})
