import { fileURLToPath } from 'node:url'
import { Connection } from '@sfauth/core'
import { createEmulator } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { session } from '@sfauth/session'
// Demo scaffolding, not part of what an application copies: spawns worker.mjs processes and
// reads the JSON lines they print (the repository's test kit, shared with the tests and benchmarks).
import { killAll, WorkerProcess } from '@sfauth/test-kit/fleet'
import { createStorage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url))
const REDIRECT_URI = 'http://127.0.0.1:8976/oauth2/callback'
const APP = {
  clientId: 'sfauth-example-fleet',
  clientSecret: 'sfauth-example-fleet-secret',
  redirectUris: [REDIRECT_URI],
  // What makes a fleet without a lock fail: a replayed refresh token revokes the whole chain.
  rotateRefreshTokens: true,
}
/** How long a worker may take to start or to finish its requests on a busy machine. */
const STEP_MS = 300_000
const USER = { username: 'fleet@example.com', password: 'fleet-password', securityToken: 'TOKEN' }

export interface FleetOptions {
  redisUrl: string
  processes: number
  requests: number
  /** `session({ store, lock: redisLock(redis) })`, or `session({ store })` alone. */
  useLock: boolean
  /** Delay of every emulator answer in ms (a real org takes tens of ms). Default 20. */
  latencyMs?: number
}

export interface FleetFigures {
  /** refresh_token requests Salesforce (the emulator) received after the expiry. */
  tokenCalls: number
  /** Those that sent a refresh token another process had already used (rotated out). */
  replays: number
  /** Requests that rejected, out of `processes × requests`. */
  failures: number
  requests: number
  /** Latency of a request across the expiry, ms. */
  p50: number
  p99: number
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}

/**
 * One run: the emulator on 127.0.0.1 with refresh-token rotation on, a session saved in Redis,
 * its access token expired, then `processes` Node processes each sending `requests` requests
 * at once. Counts what Salesforce saw and what the processes got.
 */
export async function runFleet(options: FleetOptions): Promise<FleetFigures> {
  const emu = createEmulator({ users: [USER], apps: [APP] })
  emu.setDelay(options.latencyMs ?? 20)
  const server = await emu.listen()
  const key = `fleet:${Date.now()}:${Math.random().toString(36).slice(2)}`
  const store = createStorage({
    driver: redisDriver({ url: options.redisUrl, base: 'sfauth:example' }),
  })
  const workers: WorkerProcess[] = []
  try {
    // One login, saved where the fleet looks for it.
    const oauth2 = new OAuth2({ ...APP, redirectUri: REDIRECT_URI, loginUrl: server.url })
    const login = new Connection({ oauth2, loginUrl: server.url, flows: [session({ store, key })] })
    await login.authorize(
      emu.approve({
        clientId: APP.clientId,
        username: USER.username,
        redirectUri: REDIRECT_URI,
        scope: 'api refresh_token',
      }),
    )
    const config = {
      loginUrl: server.url,
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
      redisUrl: options.redisUrl,
      key,
      requests: options.requests,
      useLock: options.useLock,
    }
    for (let i = 0; i < options.processes; i++) workers.push(new WorkerProcess(WORKER, config))
    await Promise.all(workers.map((w) => w.next('ready', STEP_MS)))
    emu.expireSessions()
    emu.resetCalls()
    for (const w of workers) w.tell('go')
    const done = await Promise.all(workers.map((w) => w.next('done', STEP_MS)))

    const calls = workers.flatMap((w) => w.events.filter((e) => e.type === 'token-call'))
    const used = new Set(calls.filter((c) => c.ok).map((c) => c.rt))
    return {
      tokenCalls: emu.count('token', 'refresh_token'),
      replays: calls.filter((c) => !c.ok && used.has(c.rt) && /expired/.test(String(c.error)))
        .length,
      failures: done.reduce((n, d) => n + (d.failures as number), 0),
      requests: options.processes * options.requests,
      p50: percentile(
        done.flatMap((d) => d.latencies as number[]),
        50,
      ),
      p99: percentile(
        done.flatMap((d) => d.latencies as number[]),
        99,
      ),
    }
  } finally {
    killAll(workers)
    await store.removeItem(key).catch(() => {})
    await store.dispose()
    await server.close()
  }
}
