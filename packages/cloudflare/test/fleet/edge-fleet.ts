// An edge fleet in real workerd: miniflare runs fleet-worker.ts as `isolates` Worker services
// (separate isolates, each with its own Connection) bound to one Durable Object namespace and
// one KV namespace, and routes every outbound fetch of theirs to the emulator's `handle` in this
// process, where each refresh token presented is recorded. Used by this package's tests and by
// the edge fleet storm of `pnpm bench`; no vitest here.
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createEmulator, type Emulator } from '@sfauth/emulator'
import * as esbuild from 'esbuild'
import {
  type Request as MfRequest,
  Response as MfResponse,
  Miniflare,
  type MiniflareOptions,
} from 'miniflare'

/** The fleet's user and app; refresh-token rotation on, so a replay revokes the whole chain. */
export const EDGE_USER = {
  username: 'edge-owner@example.com',
  password: 'Pa55word-Edge-NeverStored-7f3a',
  securityToken: 'SECTOKENEDGE4c1d',
  userId: '005gK0000EdgeQA01',
  orgId: '00DgK0000EdgeOrg1',
}
export const EDGE_APP = {
  clientId: '3MVG9edgeTestClient00000000000000000000000000000000000000000000000000',
  clientSecret: 'CLIENTSECRETEDGE5b7e0000000000000000000000000000000000000000000000',
  redirectUris: ['http://127.0.0.1:3000/oauth2/callback'],
  rotateRefreshTokens: true,
}

/** The compatibility date the fleet runs under (no compatibility flags: no nodejs_compat). */
export const COMPATIBILITY_DATE = '2026-04-01'

const here = fileURLToPath(new URL('.', import.meta.url))

/** Bundles fleet-worker.ts as Wrangler would: ES module, workerd/worker/browser conditions. */
export function bundleFleetWorker(): Promise<string> {
  return bundleWorker(fileURLToPath(new URL('fleet-worker.ts', import.meta.url)))
}

/** Bundles a Worker script as Wrangler would: ES module, workerd/worker/browser conditions. */
export async function bundleWorker(entry: string): Promise<string> {
  const out = await esbuild.build({
    absWorkingDir: here,
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: ['cloudflare:*'],
    logLevel: 'warning',
  })
  return out.outputFiles[0]!.text
}

/** One refresh_token request a Worker sent, as the emulator's side saw it. */
export interface TokenCall {
  /** Which isolate sent it. */
  isolate: number
  /** A hash of the refresh token presented (never the token). */
  rt: string
  /** The emulator's status. */
  status: number
}

export interface EdgeFleetOptions {
  isolates: number
  /** `'durable'`: durableSession's store and lock; `'kv'`: a KV store and no lock. */
  store: 'durable' | 'kv'
  lockTtlMs?: number
  /** The bundled fleet-worker.ts (bundle once, start many fleets). */
  script?: string
}

export interface StormResult {
  ok: number
  failures: number
  /** Failed requests by error code. */
  codes: Record<string, number>
  /** Per request, ms from its start to its settlement (every isolate). */
  latencies: number[]
  /** Each isolate's access token after its storm (hashed). */
  tokens: string[]
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16)

/** A fleet of Worker isolates sharing one session through `store`, against a fresh emulator. */
export class EdgeFleet {
  readonly emu: Emulator = createEmulator({ users: [EDGE_USER], apps: [EDGE_APP] })
  readonly calls: TokenCall[] = []
  /** Token requests of an isolate listed here are held until its request is cancelled. */
  readonly stall = new Set<number>()
  /** Resolved when a stalled token request arrives. */
  #stalled: (() => void)[] = []
  readonly mf: Miniflare
  readonly key: string
  /** How many isolates the fleet runs. */
  readonly count: number

  readonly #options: MiniflareOptions
  readonly #dir: string

  private constructor(
    mf: Miniflare,
    key: string,
    count: number,
    options: MiniflareOptions,
    dir: string,
  ) {
    this.mf = mf
    this.key = key
    this.count = count
    this.#options = options
    this.#dir = dir
  }

  static async start(options: EdgeFleetOptions): Promise<EdgeFleet> {
    const script = options.script ?? (await bundleFleetWorker())
    const key = `sfauth:fleet:${Math.random().toString(36).slice(2)}`
    let fleet: EdgeFleet | undefined
    const outbound = (isolate: number) => (request: MfRequest) =>
      (fleet as EdgeFleet).handle(isolate, request)
    const bindings = {
      LOGIN_URL: 'https://edge-fleet.my.salesforce.com',
      CLIENT_ID: EDGE_APP.clientId,
      CLIENT_SECRET: EDGE_APP.clientSecret,
      STORE: options.store,
      ...(options.lockTtlMs ? { LOCK_TTL_MS: String(options.lockTtlMs) } : {}),
    }
    // The object's storage (and KV) on disk, so it outlives a restart of the runtime.
    const dir = mkdtempSync(join(tmpdir(), 'sfauth-edge-fleet-'))
    const mfOptions: MiniflareOptions = {
      durableObjectsPersist: join(dir, 'do'),
      kvPersist: join(dir, 'kv'),
      // Miniflare would otherwise fetch request.cf data from workers.cloudflare.com: loopback only.
      cf: false,
      workers: Array.from({ length: options.isolates }, (_, i) => ({
        name: `isolate-${i}`,
        modules: true,
        script,
        compatibilityDate: COMPATIBILITY_DATE,
        compatibilityFlags: [],
        bindings,
        kvNamespaces: { KV: 'edge-fleet-kv' },
        // The object class lives in the first service; every isolate binds the same namespace.
        durableObjects: {
          SFAUTH_SESSIONS:
            i === 0 ? 'TestSessions' : { className: 'TestSessions', scriptName: 'isolate-0' },
        },
        outboundService: outbound(i),
      })),
    }
    const mf = new Miniflare(mfOptions)
    await mf.ready
    fleet = new EdgeFleet(mf, key, options.isolates, mfOptions, dir)
    return fleet
  }

  /** Every fetch a Worker makes lands here: recorded, then answered by the emulator. */
  private async handle(isolate: number, request: MfRequest): Promise<MfResponse> {
    const body = request.method === 'GET' ? undefined : await request.arrayBuffer()
    const url = new URL(request.url)
    if (url.pathname.endsWith('/oauth2/token') && body) {
      const form = new URLSearchParams(new TextDecoder().decode(body))
      if (form.get('grant_type') === 'refresh_token') {
        if (this.stall.has(isolate)) {
          for (const notify of this.#stalled.splice(0)) notify()
          // A Worker that dies before Salesforce saw its token call: never answered.
          return new Promise<MfResponse>(() => {})
        }
        const held = this.#held
        if (held) {
          held.arrived()
          await held.resumed
        }
        const call: TokenCall = { isolate, rt: hash(form.get('refresh_token') ?? ''), status: 0 }
        this.calls.push(call)
        const answer = await this.emu.handle(
          new Request(request.url, {
            method: request.method,
            headers: [...request.headers.entries()],
            body,
          }),
        )
        call.status = answer.status
        return toMiniflare(answer)
      }
    }
    const answer = await this.emu.handle(
      new Request(request.url, {
        method: request.method,
        headers: [...request.headers.entries()],
        ...(body ? { body } : {}),
      }),
    )
    return toMiniflare(answer)
  }

  #held: { arrived(): void; resumed: Promise<void> } | undefined

  /**
   * Holds the next refresh requests until `resume()`; `arrived` resolves when the first one is
   * held (a renewal is then under way, its lock held).
   */
  holdTokenCalls(): { arrived: Promise<void>; resume(): void } {
    let arrived!: () => void
    let resume!: () => void
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve
    })
    const resumed = new Promise<void>((resolve) => {
      resume = resolve
    })
    this.#held = { arrived, resumed }
    return {
      arrived: arrival,
      resume: () => {
        this.#held = undefined
        resume()
      },
    }
  }

  /** Resolves when a stalled isolate's token request has arrived. */
  stalled(): Promise<void> {
    return new Promise((resolve) => this.#stalled.push(resolve))
  }

  /** Mints a fresh refresh-token family and saves it where the fleet looks for its session. */
  async seed(): Promise<{ refreshToken: string }> {
    const redirectUri = EDGE_APP.redirectUris[0]!
    const code = this.emu.approve({
      clientId: EDGE_APP.clientId,
      username: EDGE_USER.username,
      redirectUri,
      scope: 'api refresh_token',
    })
    const res = await this.emu.fetch('https://edge-fleet.my.salesforce.com/services/oauth2/token', {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: EDGE_APP.clientId,
        client_secret: EDGE_APP.clientSecret,
        redirect_uri: redirectUri,
      }),
    })
    const t = (await res.json()) as {
      access_token: string
      refresh_token: string
      instance_url: string
    }
    await this.fetch(0, '/seed', {
      method: 'POST',
      body: JSON.stringify({
        v: 1,
        kind: 'oauth2',
        accessToken: t.access_token,
        refreshToken: t.refresh_token,
        instanceUrl: t.instance_url,
      }),
    })
    return { refreshToken: t.refresh_token }
  }

  /** A request into one isolate. */
  async fetch(isolate: number, path: string, init?: RequestInit): Promise<MfResponse> {
    const worker = (await this.mf.getWorker(`isolate-${isolate}`)) as unknown as {
      fetch(url: string, init?: never): Promise<MfResponse>
    }
    const sep = path.includes('?') ? '&' : '?'
    return worker.fetch(
      `http://fleet.test${path}${sep}key=${encodeURIComponent(this.key)}`,
      init as never,
    )
  }

  /** The session the store holds now (through isolate 0). */
  async saved(): Promise<{ accessToken: string; refreshToken?: string } | null> {
    return (await (await this.fetch(0, '/saved')).json()) as never
  }

  /** Each isolate fires `requests` concurrent `conn.request()` calls at once. */
  async storm(requests: number, isolates = this.isolates()): Promise<StormResult> {
    const answers = await Promise.all(
      isolates.map(async (i) => {
        const res = await this.fetch(i, `/storm?n=${requests}`)
        return (await res.json()) as {
          results: { ok: boolean; code?: string; ms: number }[]
          accessToken?: string
        }
      }),
    )
    const results = answers.flatMap((a) => a.results)
    const codes: Record<string, number> = {}
    for (const r of results) if (!r.ok) codes[r.code!] = (codes[r.code!] ?? 0) + 1
    return {
      ok: results.filter((r) => r.ok).length,
      failures: results.filter((r) => !r.ok).length,
      codes,
      latencies: results.map((r) => r.ms),
      tokens: answers.map((a) => hash(a.accessToken ?? '')),
    }
  }

  isolates(): number[] {
    return Array.from({ length: this.count }, (_, i) => i)
  }

  /** refresh_token requests the emulator answered since `since` (an index into calls). */
  tokenCalls(since = 0): number {
    return this.calls.length - since
  }

  /** Refresh requests that presented a refresh token already presented once. */
  replays(since = 0): number {
    const presented = this.calls.slice(since).map((c) => c.rt)
    return presented.length - new Set(presented).size
  }

  /** Resets the Durable Object (memory gone, storage kept), as an eviction or deploy would. */
  async crash(): Promise<void> {
    await this.fetch(0, '/crash')
  }

  /**
   * Stops the runtime and starts it again: every isolate dies with whatever it was doing (its
   * timers and requests gone), the object's storage stays. workerd run locally does not cancel
   * a request whose client went away, so this is how a test kills a Worker mid-renewal.
   */
  async restart(): Promise<void> {
    await this.mf.setOptions(this.#options)
  }

  async dispose(): Promise<void> {
    await this.mf.dispose()
    rmSync(this.#dir, { recursive: true, force: true })
  }
}

/** The emulator's Response as one miniflare hands back to workerd. */
async function toMiniflare(answer: Response): Promise<MfResponse> {
  return new MfResponse(await answer.arrayBuffer(), {
    status: answer.status,
    headers: [...answer.headers.entries()],
  })
}
