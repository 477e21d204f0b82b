// The Node side of shim-worker.ts: a SessionLock and a SessionStore whose every call runs in
// workerd. Plain JavaScript, so the test kit's lock-worker.mjs can import it in a child process.
import { SfAuthError } from '@sfauth/core'
import WebSocket from 'ws'

/**
 * @param {string} url the shim Worker's base URL (http://127.0.0.1:PORT)
 * @returns {import('@sfauth/session').SessionLock}
 */
export function shimLock(url) {
  return {
    acquire(name, ttlMs, options = {}) {
      const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/lock`)
      const lost = new AbortController()
      /** The calls waiting for their answer, by id. */
      const pending = new Map()
      let nextId = 0
      let closed = false
      socket.on('message', (data) => {
        const message = JSON.parse(String(data))
        if (message.op === 'lost') {
          lost.abort(new SfAuthError(message.message, { errorCode: message.code }))
          return
        }
        pending.get(message.id)?.resolve(message)
        pending.delete(message.id)
      })
      socket.on('close', () => {
        closed = true
        for (const { reject } of pending.values()) reject(new Error('the shim closed the socket'))
        pending.clear()
      })
      const ask = (message) =>
        new Promise((resolve, reject) => {
          if (closed) return reject(new Error('the shim closed the socket'))
          const id = nextId++
          pending.set(id, { resolve, reject })
          socket.send(JSON.stringify({ ...message, id }))
        })
      return new Promise((resolve, reject) => {
        socket.once('error', reject)
        socket.once('open', async () => {
          const { signal, waitMs } = options
          const onAbort = () => socket.send(JSON.stringify({ op: 'abort' }))
          if (signal?.aborted) onAbort()
          signal?.addEventListener('abort', onAbort, { once: true })
          const answer = await ask({ op: 'acquire', name, ttlMs, waitMs }).catch((err) => ({
            op: 'error',
            message: String(err),
          }))
          signal?.removeEventListener('abort', onAbort)
          if (answer.op !== 'acquired') {
            socket.close()
            reject(new SfAuthError(answer.message, { errorCode: answer.code }))
            return
          }
          let released
          const release = () => {
            released ??= (async () => {
              await ask({ op: 'release' }).catch(() => {})
              socket.close()
            })()
            return released
          }
          // Only what the lock in workerd offers: its release's stillHeld() and signal.
          resolve(
            Object.assign(
              release,
              answer.stillHeld
                ? {
                    stillHeld: async () =>
                      !released &&
                      (await ask({ op: 'stillHeld' }).then(
                        (a) => a.held === true,
                        () => false,
                      )),
                  }
                : {},
              answer.signal ? { signal: lost.signal } : {},
            ),
          )
        })
      })
    },
  }
}

/** Makes the shim's object forget every lock taken through it: each lease expires, the object resets. */
export async function forgetLocks(url) {
  const res = await fetch(`${url}/forget`, { method: 'POST' })
  if (!res.ok) throw new Error(`the shim answered ${res.status}`)
}

/**
 * @param {string} url the shim Worker's base URL
 * @returns {import('@sfauth/session').SessionStore}
 */
export function shimStore(url) {
  const call = async (op, key, body) => {
    const res = await fetch(`${url}/store?op=${op}&key=${encodeURIComponent(key)}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    if (!res.ok) throw new Error(`the shim answered ${res.status}`)
    return res.json()
  }
  return {
    getItem: async (key) => (await call('get', key)).value,
    setItem: (key, value) => call('set', key, value),
    removeItem: (key) => call('remove', key, {}),
  }
}

/** createLock for the test kit's lock-worker.mjs: the shim's lock at config.url. */
export function createLock(config) {
  return { lock: shimLock(config.url), close: async () => {} }
}
