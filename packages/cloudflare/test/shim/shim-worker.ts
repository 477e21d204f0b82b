// A Worker that serves durableSession()'s store and lock to Node, so the test kit's contract
// suites (which run in Node: vitest, real OS processes, kill -9) exercise the package's code
// inside workerd. Store calls are plain HTTP; each lock acquire is one WebSocket: `acquire`,
// `abort`, `stillHeld`, `release` in; `acquired`, `error`, `stillHeld`, `released` answer them
// (by `id`), and `lost` comes when the release's signal aborts. A socket that closes while
// holding (its Node process was killed) cuts that hold off from the object without a release,
// as a dead Worker would be: its lease stops being extended and runs out.
import type { LockRelease } from '@sfauth/session'
import {
  durableSession,
  SfAuthSessions as Sessions,
  type SfAuthSessionsNamespace,
  type SfAuthSessionsStub,
} from '../../src/index.js'

const LOCK = 'lock:'

/**
 * The package's object, plus what the tests need to make it lose a lease: the lease as the
 * object would see it had its holder stalled past `until` (the Worker paused, its extensions
 * not arriving), the object evicted meanwhile. Its stored `until` is set in the past and the
 * object is reset, so the next call reads the expired lease from storage and another holder
 * may take it, while the first holder still believes it holds.
 */
export class SfAuthSessions extends Sessions {
  async expireLease(name: string): Promise<void> {
    const lease = await this.ctx.storage.get<{ holder: string; until: number }>(LOCK + name)
    if (!lease) return
    await this.ctx.storage.put(LOCK + name, { ...lease, until: 0 })
    // Written before the reset drops the object's memory.
    await (this.ctx.storage as unknown as { sync(): Promise<void> }).sync()
    this.ctx.abort('the test expired the lease')
  }
}

/** Every lock name taken through this shim, for /forget. */
const names = new Set<string>()

interface Env {
  SFAUTH_SESSIONS: SfAuthSessionsNamespace
}

/** The namespace as one holder reaches it, with a switch that cuts every later call. */
function severable(ns: SfAuthSessionsNamespace) {
  let cut = false
  const namespace: SfAuthSessionsNamespace = {
    idFromName: (name) => ns.idFromName(name),
    get: (id) => {
      const stub = ns.get(id)
      const gone = () => Promise.reject(new Error('the holder is gone'))
      return {
        getItem: (key) => (cut ? gone() : stub.getItem(key)),
        setItem: (key, value) => (cut ? gone() : stub.setItem(key, value)),
        removeItem: (key) => (cut ? gone() : stub.removeItem(key)),
        acquire: (name, holder, ttlMs, waitMs) =>
          cut ? gone() : stub.acquire(name, holder, ttlMs, waitMs),
        extend: (name, holder, ttlMs) => (cut ? gone() : stub.extend(name, holder, ttlMs)),
        release: (name, holder) => (cut ? gone() : stub.release(name, holder)),
      } satisfies SfAuthSessionsStub
    },
  }
  return { namespace, cut: () => (cut = true) }
}

function holdOverSocket(env: Env, socket: WebSocket): void {
  const { namespace, cut } = severable(env.SFAUTH_SESSIONS)
  const { lock } = durableSession(namespace)
  const controller = new AbortController()
  let release: LockRelease | undefined
  const send = (message: object) => socket.send(JSON.stringify(message))
  const describe = (err: unknown) => {
    const e = err as { errorCode?: string; message?: string }
    return { code: e.errorCode, message: e.message ?? String(err) }
  }
  socket.addEventListener('message', async (event) => {
    const message = JSON.parse(String(event.data)) as {
      op: string
      id: number
      name: string
      ttlMs: number
      waitMs?: number
    }
    const { id } = message
    if (message.op === 'acquire') {
      names.add(message.name)
      try {
        release = await lock.acquire(message.name, message.ttlMs, {
          ...(message.waitMs === undefined ? {} : { waitMs: message.waitMs }),
          signal: controller.signal,
        })
        const { signal } = release
        signal?.addEventListener('abort', () => send({ op: 'lost', ...describe(signal.reason) }), {
          once: true,
        })
        // The Node side offers only what the release here has.
        send({
          op: 'acquired',
          id,
          stillHeld: typeof release.stillHeld === 'function',
          signal: signal instanceof AbortSignal,
        })
      } catch (err) {
        send({ op: 'error', id, ...describe(err) })
      }
    } else if (message.op === 'abort') {
      controller.abort(new Error('aborted by the caller'))
    } else if (message.op === 'stillHeld') {
      send({ op: 'stillHeld', id, held: await release?.stillHeld?.() })
    } else if (message.op === 'release') {
      await release?.()
      send({ op: 'released', id })
    }
  })
  socket.addEventListener('close', () => {
    // The Node side is gone: so is this holder, without a release.
    cut()
    controller.abort(new Error('the caller is gone'))
  })
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname === '/lock') {
      const pair = new WebSocketPair()
      const [client, server] = Object.values(pair) as [WebSocket, WebSocket]
      ;(server as WebSocket & { accept(): void }).accept()
      holdOverSocket(env, server)
      return new Response(null, { status: 101, webSocket: client } as ResponseInit)
    }
    if (url.pathname === '/forget') {
      await Promise.all(
        [...names].map((name) => {
          const stub = env.SFAUTH_SESSIONS.get(
            env.SFAUTH_SESSIONS.idFromName(name) as never,
          ) as unknown as SfAuthSessions
          // The reset fails this very call, once the expired lease is stored; any other
          // failure fails the test.
          return stub.expireLease(name).then(
            () => {},
            (err: { durableObjectReset?: boolean }) => {
              if (err?.durableObjectReset !== true) throw err
            },
          )
        }),
      )
      return Response.json({ ok: true })
    }
    if (url.pathname === '/store') {
      const { store } = durableSession(env.SFAUTH_SESSIONS)
      const key = url.searchParams.get('key') ?? ''
      const op = url.searchParams.get('op')
      if (op === 'get') return Response.json({ value: (await store.getItem(key)) ?? null })
      if (op === 'set') await store.setItem(key, await request.json())
      else if (op === 'remove') await store.removeItem(key)
      return Response.json({ ok: true })
    }
    return new Response('not found', { status: 404 })
  },
}

declare const WebSocketPair: new () => Record<0 | 1, WebSocket>
