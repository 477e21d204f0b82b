// A Worker that serves durableSession()'s store and lock to Node, so the test kit's contract
// suites (which run in Node: vitest, real OS processes, kill -9) exercise the package's code
// inside workerd. Store calls are plain HTTP; each lock acquire is one WebSocket: `acquire`,
// `abort`, `release` in, `acquired`, `error`, `released` out. A socket that closes while
// holding (its Node process was killed) cuts that hold off from the object without a release,
// as a dead Worker would be: its lease is no longer extended and runs out.
import {
  durableSession,
  type SfAuthSessionsNamespace,
  type SfAuthSessionsStub,
} from '../../src/index.js'

export { SfAuthSessions } from '../../src/index.js'

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
  let release: (() => Promise<void>) | undefined
  const send = (message: object) => socket.send(JSON.stringify(message))
  socket.addEventListener('message', async (event) => {
    const message = JSON.parse(String(event.data)) as {
      op: string
      name: string
      ttlMs: number
      waitMs?: number
    }
    if (message.op === 'acquire') {
      try {
        release = await lock.acquire(message.name, message.ttlMs, {
          ...(message.waitMs === undefined ? {} : { waitMs: message.waitMs }),
          signal: controller.signal,
        })
        send({ op: 'acquired' })
      } catch (err) {
        const e = err as { errorCode?: string; message?: string }
        send({ op: 'error', code: e.errorCode, message: e.message ?? String(err) })
      }
    } else if (message.op === 'abort') {
      controller.abort(new Error('aborted by the caller'))
    } else if (message.op === 'release') {
      await release?.()
      send({ op: 'released' })
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
