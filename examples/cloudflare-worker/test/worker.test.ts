import { readFile } from 'node:fs/promises'
import { createEmulator, DEFAULT_APP, DEFAULT_USER, type EmulatorServer } from '@sfauth/emulator'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundle } from '../build.mjs'

const CLIENT_SECRET = DEFAULT_APP.clientSecret as string

/** The same date a `wrangler deploy` would use. */
async function compatibilityDate(): Promise<string> {
  const toml = await readFile(new URL('../wrangler.toml', import.meta.url), 'utf8')
  const date = /^compatibility_date\s*=\s*"([\d-]+)"/m.exec(toml)?.[1]
  if (!date) throw new Error('wrangler.toml has no compatibility_date')
  return date
}

/** The real workerd runtime, without nodejs_compat, running the Wrangler-style bundle. */
function startWorker(scriptPath: string, date: string, bindings: Record<string, string>) {
  return new Miniflare({
    modules: true,
    scriptPath,
    compatibilityDate: date,
    compatibilityFlags: [],
    bindings,
  })
}

type Answer = {
  userId?: string
  organizationId?: string
  instanceUrl?: string
  records?: { Id: string; Username: string }[]
  refreshes?: number
  error?: string
  message?: string
}

async function call(worker: Miniflare): Promise<{ status: number; body: Answer }> {
  const res = await worker.dispatchFetch('http://worker.test/')
  return { status: res.status, body: (await res.json()) as Answer }
}

const emu = createEmulator()
let server: EmulatorServer
let scriptPath: string
let date: string
const workers: Miniflare[] = []

beforeAll(async () => {
  scriptPath = await bundle()
  date = await compatibilityDate()
  server = await emu.listen()
})

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.dispose()))
  await server.close()
})

function worker(bindings: Partial<Record<string, string>> = {}): Miniflare {
  const started = startWorker(scriptPath, date, {
    SF_LOGIN_URL: server.url,
    SF_CLIENT_ID: DEFAULT_APP.clientId,
    SF_CLIENT_SECRET: CLIENT_SECRET,
    ...bindings,
  } as Record<string, string>)
  workers.push(started)
  return started
}

describe('the Worker in workerd', () => {
  it('is bundled for the edge: no Node built-ins, no Node-only code paths', async () => {
    const code = await readFile(scriptPath, 'utf8')
    expect(code).not.toMatch(/\bfrom\s*["']node:|require\(|import\(["']node:/)
    expect(code).toContain('client_credentials')
  })

  it('calls the REST API, reuses its token and renews it once after expiry', async () => {
    const running = worker()
    emu.resetCalls()

    const first = await call(running)
    expect(first.status).toBe(200)
    expect(first.body).toEqual({
      userId: DEFAULT_USER.userId,
      organizationId: DEFAULT_USER.orgId,
      instanceUrl: server.url,
      records: [
        expect.objectContaining({ Id: DEFAULT_USER.userId, Username: DEFAULT_USER.username }),
      ],
      refreshes: 0,
    })
    expect(emu.count('token', 'client_credentials')).toBe(1)

    // The connection lives on in the isolate: no second login for the next request.
    expect((await call(running)).status).toBe(200)
    expect(emu.count('token', 'client_credentials')).toBe(1)
    expect(emu.count('data')).toBe(2)

    emu.expireSessions()
    const renewed = await call(running)
    expect(renewed.status).toBe(200)
    expect(renewed.body).toMatchObject({ userId: DEFAULT_USER.userId, refreshes: 1 })
    expect(emu.count('token', 'client_credentials')).toBe(2)
    // The expired call, then its one retry with the new token.
    expect(emu.count('data')).toBe(4)
  })

  it('shares one login on a cold isolate and one renewal among concurrent requests', async () => {
    const running = worker()
    emu.resetCalls()
    // A slow Salesforce keeps the requests overlapping.
    emu.setDelay(50)
    try {
      const cold = await Promise.all(Array.from({ length: 6 }, () => call(running)))
      expect(cold.map((answer) => answer.status)).toEqual(Array(6).fill(200))
      expect(emu.count('token', 'client_credentials')).toBe(1)

      emu.expireSessions()
      const renewed = await Promise.all(Array.from({ length: 6 }, () => call(running)))
      expect(renewed.map((answer) => answer.status)).toEqual(Array(6).fill(200))
      expect(renewed.map((answer) => answer.body.refreshes)).toEqual(Array(6).fill(1))
      expect(emu.count('token', 'client_credentials')).toBe(2)
    } finally {
      emu.setDelay(0)
    }
  })

  it('answers with the My Domain error, sending nothing, for login.salesforce.com', async () => {
    emu.resetCalls()
    const answer = await call(worker({ SF_LOGIN_URL: 'https://login.salesforce.com' }))
    expect(answer.status).toBe(502)
    expect(answer.body.error).toBe('ERR_MY_DOMAIN_REQUIRED')
    expect(answer.body.message).toContain('https://MyDomainName.my.salesforce.com')
    expect(emu.calls).toHaveLength(0)
  })

  it("passes Salesforce's invalid_client on without the secret", async () => {
    const wrong = 'WRONG-SECRET-NOT-ECHOED-0000000000000000000000000000000000000000'
    const answer = await call(worker({ SF_CLIENT_SECRET: wrong }))
    expect(answer.status).toBe(502)
    expect(answer.body.error).toBe('invalid_client')
    expect(JSON.stringify(answer.body)).not.toContain(wrong)
  })
})
