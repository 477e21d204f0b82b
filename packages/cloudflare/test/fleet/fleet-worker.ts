// One member of an edge fleet: a Worker script that miniflare runs as several services (each its
// own isolate with its own Connection), all bound to one Durable Object namespace. The Node side
// (edge-fleet.ts) drives it over HTTP. Bundled with esbuild under the workerd conditions.
import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { type SessionStore, type StoredSession, session } from '@sfauth/session'
import { durableSession, SfAuthSessions, type SfAuthSessionsStub } from '../../src/index.js'

/** The object class the fleet binds: the package's, plus a way for the test to restart it. */
export class TestSessions extends SfAuthSessions {
  /** Resets the object as an eviction or a deploy would: memory gone, storage kept. */
  crash(): void {
    this.ctx.abort('reset by the test')
  }

  /** The next `n` saves fail, as a store that cannot be reached would. */
  async failSaves(n: number): Promise<void> {
    await this.ctx.storage.put('test:fail-saves', n)
  }

  override async setItem(key: string, value: StoredSession): Promise<void> {
    const failing = (await this.ctx.storage.get<number>('test:fail-saves')) ?? 0
    if (failing > 0) {
      await this.ctx.storage.put('test:fail-saves', failing - 1)
      throw new Error('the session could not be written (test)')
    }
    await super.setItem(key, value)
  }
}

interface Env {
  SFAUTH_SESSIONS: {
    idFromName(name: string): unknown
    get(id: never): SfAuthSessionsStub & {
      crash(): Promise<void>
      failSaves(n: number): Promise<void>
    }
  }
  KV: KVNamespace
  LOGIN_URL: string
  CLIENT_ID: string
  CLIENT_SECRET: string
  /** `'durable'`: durableSession's store and lock; `'kv'`: a KV store and no lock (the "before"). */
  STORE: string
  LOCK_TTL_MS?: string
}

/** The part of a Workers KV binding the "before" store uses. */
interface KVNamespace {
  get(key: string, type: 'json'): Promise<unknown>
  put(key: string, value: string): Promise<void>
  delete(key: string): Promise<void>
}

/**
 * A session store on Workers KV as its documentation describes it to another location: a read
 * can return a value up to 60 s old (reads are cached where they are made, and writes take up to
 * a minute to reach other locations). Miniflare's local KV is a single consistent database, so
 * each isolate here keeps what it read or wrote for that long, as a location of its own would.
 */
function kvStore(kv: KVNamespace, staleMs = 60_000): SessionStore {
  const seen = new Map<string, { value: unknown; at: number }>()
  return {
    async getItem(key) {
      const cached = seen.get(key)
      if (cached && Date.now() - cached.at < staleMs) return cached.value
      const value = await kv.get(key, 'json')
      seen.set(key, { value, at: Date.now() })
      return value
    },
    async setItem(key, value) {
      await kv.put(key, JSON.stringify(value))
      seen.set(key, { value, at: Date.now() })
    },
    async removeItem(key) {
      await kv.delete(key)
      seen.delete(key)
    },
  }
}

const QUERY = 'query?q=SELECT+Id+FROM+User+LIMIT+1'

let conn: Connection | undefined
let store: SessionStore | undefined
let refreshes = 0

function connect(env: Env, key: string): { conn: Connection; store: SessionStore } {
  if (conn && store) return { conn, store }
  const durable = env.STORE === 'durable' ? durableSession(env.SFAUTH_SESSIONS) : undefined
  store = durable?.store ?? kvStore(env.KV)
  const flow = durable
    ? session({
        ...durable,
        key,
        ...(env.LOCK_TTL_MS ? { lockTtlMs: Number(env.LOCK_TTL_MS) } : {}),
      })
    : session({ store, key })
  conn = new Connection({
    oauth2: new OAuth2({
      clientId: env.CLIENT_ID,
      clientSecret: env.CLIENT_SECRET,
      loginUrl: env.LOGIN_URL,
    }),
    flows: [flow],
  })
  conn.on('refresh', () => {
    refreshes++
  })
  return { conn, store }
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  })
}

function codeOf(err: unknown): string {
  const e = err as { errorCode?: string; message?: string }
  return e?.errorCode ?? e?.message ?? String(err)
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    const key = url.searchParams.get('key') ?? 'sfauth:fleet'
    const { conn, store } = connect(env, key)
    switch (url.pathname) {
      case '/seed':
        await store.setItem(key, await request.json())
        return json({ ok: true })
      case '/saved':
        return json(await store.getItem(key))
      case '/request': {
        try {
          await conn.request(QUERY)
          return json({ ok: true, refreshes })
        } catch (err) {
          return json({ ok: false, code: codeOf(err), refreshes }, 502)
        }
      }
      case '/storm': {
        // n concurrent requests on this isolate's Connection, each timed from start to settlement.
        const n = Number(url.searchParams.get('n') ?? '50')
        const results = await Promise.all(
          Array.from({ length: n }, async () => {
            const start = performance.now()
            try {
              await conn.request(QUERY)
              return { ok: true, ms: performance.now() - start }
            } catch (err) {
              return { ok: false, code: codeOf(err), ms: performance.now() - start }
            }
          }),
        )
        return json({ results, refreshes, accessToken: conn.accessToken })
      }
      case '/fail-saves': {
        const ns = env.SFAUTH_SESSIONS
        await ns.get(ns.idFromName(key) as never).failSaves(Number(url.searchParams.get('n')))
        return json({ ok: true })
      }
      case '/crash': {
        const ns = env.SFAUTH_SESSIONS
        await ns
          .get(ns.idFromName(key) as never)
          .crash()
          .catch(() => {})
        return json({ ok: true })
      }
      default:
        return json({ error: 'not found' }, 404)
    }
  },
}
