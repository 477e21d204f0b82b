import { readFile } from 'node:fs/promises'
import { createEmulator, DEFAULT_APP, DEFAULT_USER, type EmulatorServer } from '@sfauth/emulator'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundle } from '../build.mjs'

const CLIENT_SECRET = DEFAULT_APP.clientSecret as string
const REDIRECT_URI = DEFAULT_APP.redirectUris![0]!
/** Isolates running the Worker, each with its own Connection, all bound to one namespace. */
const ISOLATES = 3
const REQUESTS = 20

/** What a `wrangler deploy` would read: the date and the Durable Object binding. */
async function wranglerConfig() {
  const text = await readFile(new URL('../wrangler.jsonc', import.meta.url), 'utf8')
  // JSONC: drop the // comments (none of the values contains one).
  const config = JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as {
    compatibility_date: string
    compatibility_flags: string[]
    durable_objects: { bindings: { name: string; class_name: string }[] }
  }
  return config
}

// Rotation on: a refresh token sent twice would revoke the whole chain.
const emu = createEmulator({ apps: [{ ...DEFAULT_APP, rotateRefreshTokens: true }] })
let server: EmulatorServer
let mf: Miniflare

beforeAll(async () => {
  const [scriptPath, config] = await Promise.all([bundle(), wranglerConfig()])
  server = await emu.listen()
  // The integration user's refresh token, as an admin would get it once (web server flow).
  const code = emu.approve({
    clientId: DEFAULT_APP.clientId,
    username: DEFAULT_USER.username,
    redirectUri: REDIRECT_URI,
    scope: 'api refresh_token',
  })
  const token = (await (
    await fetch(`${server.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: DEFAULT_APP.clientId,
        client_secret: CLIENT_SECRET,
        redirect_uri: REDIRECT_URI,
      }),
    })
  ).json()) as { refresh_token: string }
  const [binding] = config.durable_objects.bindings
  mf = new Miniflare({
    cf: false,
    workers: Array.from({ length: ISOLATES }, (_, i) => ({
      name: `fleet-${i}`,
      modules: true,
      scriptPath,
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags,
      bindings: {
        SF_LOGIN_URL: server.url,
        SF_CLIENT_ID: DEFAULT_APP.clientId,
        SF_CLIENT_SECRET: CLIENT_SECRET,
        SF_REFRESH_TOKEN: token.refresh_token,
      },
      durableObjects: {
        [binding!.name]:
          i === 0 ? binding!.class_name : { className: binding!.class_name, scriptName: 'fleet-0' },
      },
    })),
  })
  await mf.ready
})

afterAll(async () => {
  await mf?.dispose()
  await server?.close()
})

type Answer = { records?: { Id: string }[]; refreshes?: number; error?: string }

/** Every isolate gets REQUESTS requests at once. */
async function storm(): Promise<{ status: number; body: Answer }[]> {
  // Typed by hand: miniflare's Fetcher type names workerd's Request, not a Web one.
  type Worker = { fetch(url: string): Promise<{ status: number; json(): Promise<unknown> }> }
  const workers = (await Promise.all(
    Array.from({ length: ISOLATES }, (_, i) => mf.getWorker(`fleet-${i}`)),
  )) as unknown as Worker[]
  return Promise.all(
    workers.flatMap((worker) =>
      Array.from({ length: REQUESTS }, async () => {
        const res = await worker.fetch('http://fleet.test/')
        return { status: res.status, body: (await res.json()) as Answer }
      }),
    ),
  )
}

describe('the fleet Worker in workerd: 3 isolates, one Durable Object, rotation on', () => {
  it('is bundled for the edge: no Node built-ins, the object class exported', async () => {
    const code = await readFile(await bundle(), 'utf8')
    expect(code).not.toMatch(/\bfrom\s*["']node:|require\(|import\(["']node:/)
    expect(code).toMatch(/export\s*\{[^}]*SfAuthSessions/)
  })

  it('cold isolates with nothing saved use the configured refresh token once, then share the session', async () => {
    emu.resetCalls()
    const answers = await storm()
    expect(answers.map((a) => a.status)).toEqual(Array(ISOLATES * REQUESTS).fill(200))
    expect(answers[0]!.body.records?.[0]?.Id).toBe(DEFAULT_USER.userId)
    expect(emu.count('token', 'refresh_token')).toBe(1)
  })

  it('renews once per expiry across every isolate; the others adopt the saved session', async () => {
    for (let expiry = 0; expiry < 2; expiry++) {
      emu.resetCalls()
      emu.expireSessions()
      const answers = await storm()
      expect(answers.filter((a) => a.status !== 200).map((a) => a.body)).toEqual([])
      // One refresh call for every isolate together: a second would replay a rotated-out token.
      expect(emu.count('token', 'refresh_token')).toBe(1)
    }
  })
})
