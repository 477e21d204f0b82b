// A fleet of real OS processes sharing one session (session-worker.mjs), driven round by round
// against an emulator served on 127.0.0.1, and the figures of each round: token calls, replays,
// failures, latencies. Used by testSessionFleet() (the fleet tests of @sfauth/session and
// @sfauth/redis).
import { fileURLToPath } from 'node:url'
import { Connection } from '@sfauth/core'
import { createEmulator, type Emulator } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { type SessionStore, session } from '@sfauth/session'
import { spawnWorkers, type WorkerEvent, type WorkerProcess } from './harness.js'

const REDIRECT_URI = 'http://127.0.0.1:3000/oauth2/callback'
/** The fleet's user and connected app; refresh-token rotation on, so a replay revokes the chain. */
export const FLEET_USER = {
  username: 'fleet-owner@example.com',
  password: 'Pa55word-Fleet-NeverStored-5c1d',
  securityToken: 'SECTOKENFLEET7b2e',
  userId: '005gK0000FleetQA',
  orgId: '00DgK0000FleetOrg',
}
export const FLEET_APP = {
  clientId: '3MVG9fleetTestClient0000000000000000000000000000000000000000000000000',
  clientSecret: 'CLIENTSECRETFLEET9a4f000000000000000000000000000000000000000000000',
  redirectUris: [REDIRECT_URI],
  rotateRefreshTokens: true,
}

/** A fresh emulator with the fleet's user and app (for useLoopbackEmulator()). */
export function newFleetEmulator(): Emulator {
  return createEmulator({ users: [FLEET_USER], apps: [FLEET_APP] })
}

export const SESSION_WORKER = fileURLToPath(new URL('./session-worker.mjs', import.meta.url))

export interface FleetConfig {
  /** The factory module (createStore, createLock) and whatever it reads from the config. */
  factory: string
  loginUrl: string
  clientId: string
  clientSecret: string
  key: string
  /** false: session({ store }) without a lock, the "before". Default true. */
  useLock?: boolean
  lockTtlMs?: number
  lockWaitMs?: number
  /** Concurrent requests per process and round. */
  requests: number
  [more: string]: unknown
}

/** What one round cost, over every process. */
export interface RoundFigures {
  /** refresh_token calls the emulator answered during the round. */
  tokenCalls: number
  /** refresh_token calls that sent a refresh token a successful refresh had already consumed. */
  replays: number
  /** Requests that rejected. */
  failures: number
  ok: number
  /** The distinct error codes of failed requests. */
  codes: string[]
  /** Request latencies in ms, every process. */
  latencies: number[]
  /** One per process: its access token after the round (hashed). */
  tokens: (string | undefined)[]
  /** One per process: the token its last 'refresh' event carried (hashed). */
  refreshed: (string | undefined)[]
}

/** Counts replays: a call whose refresh token another call already refreshed successfully. */
export function countReplays(calls: WorkerEvent[]): number {
  const consumed = new Map<string, number>()
  for (const c of calls) {
    if (c.ok)
      consumed.set(
        c.rt as string,
        Math.min(consumed.get(c.rt as string) ?? Infinity, c.end as number),
      )
  }
  return calls.filter((c) => {
    const at = consumed.get(c.rt as string)
    // Sent after the successful refresh answered, or failing alongside it with the token gone.
    return at !== undefined && !c.ok && /expired access\/refresh token/.test(String(c.error))
  }).length
}

export class Fleet {
  readonly workers: WorkerProcess[]
  readonly #told = new Map<WorkerProcess, number>()

  constructor(
    readonly emu: Emulator,
    configs: FleetConfig[],
  ) {
    this.workers = spawnWorkers(SESSION_WORKER, configs)
  }

  /** Waits until every process is set up. */
  async ready(timeoutMs = 60_000): Promise<void> {
    await Promise.all(this.workers.map((w) => w.next('ready', timeoutMs)))
  }

  /** Tells every live process to run one round at once; resolves to the round's figures. */
  async round(timeoutMs = 90_000, workers = this.workers): Promise<RoundFigures> {
    const before = this.emu.count('token', 'refresh_token')
    const callsBefore = workers.map((w) => w.events.filter((e) => e.type === 'token-call').length)
    const indexes = workers.map((w) => {
      const told = this.#told.get(w) ?? 0
      this.#told.set(w, told + 1)
      w.tell('go')
      return told
    })
    const rounds = await Promise.all(workers.map((w, i) => w.next('round', timeoutMs, indexes[i])))
    const calls = workers.flatMap((w, i) =>
      w.events.filter((e) => e.type === 'token-call').slice(callsBefore[i]),
    )
    return {
      tokenCalls: this.emu.count('token', 'refresh_token') - before,
      replays: countReplays(calls),
      failures: rounds.reduce((n, r) => n + (r.failures as number), 0),
      ok: rounds.reduce((n, r) => n + (r.ok as number), 0),
      codes: [...new Set(rounds.flatMap((r) => r.codes as string[]))],
      latencies: rounds.flatMap((r) => r.latencies as number[]),
      tokens: rounds.map((r) => r.tokenHash as string | undefined),
      refreshed: rounds.map((r) => r.lastRefreshHash as string | undefined),
    }
  }

  /** Tells every process to exit and waits for it. */
  async close(): Promise<void> {
    for (const w of this.workers) w.tell('exit')
    await Promise.all(
      this.workers.map((w) =>
        Promise.race([w.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]),
      ),
    )
    for (const w of this.workers) {
      if (w.child.exitCode === null && w.child.signalCode === null) w.kill('SIGKILL')
    }
  }
}

/** The p-th percentile (0–100) of `values`. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

/**
 * Logs in once (the authorization code grant, through OAuth2 and session({ store })) so the
 * fleet finds a saved session with a refresh token in `store` under `key`.
 */
export async function seedSession(
  emu: Emulator,
  url: string,
  store: SessionStore,
  key: string,
): Promise<void> {
  const oauth2 = new OAuth2({
    clientId: FLEET_APP.clientId,
    clientSecret: FLEET_APP.clientSecret,
    redirectUri: REDIRECT_URI,
    loginUrl: url,
  })
  const conn = new Connection({ oauth2, loginUrl: url, flows: [session({ store, key })] })
  await conn.authorize(
    emu.approve({
      clientId: FLEET_APP.clientId,
      username: FLEET_USER.username,
      redirectUri: REDIRECT_URI,
      scope: 'api refresh_token',
    }),
  )
}

/** The worker config every fleet test shares: the emulator's app, `requests` per round. */
export function fleetConfig(
  url: string,
  factory: string,
  more: Partial<FleetConfig> & Record<string, unknown>,
): FleetConfig {
  return {
    factory,
    loginUrl: url,
    clientId: FLEET_APP.clientId,
    clientSecret: FLEET_APP.clientSecret,
    key: 'sfauth:fleet',
    requests: 50,
    ...more,
  }
}
