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
      const replies = []
      const waiting = []
      socket.on('message', (data) => {
        const message = JSON.parse(String(data))
        const next = waiting.shift()
        if (next) next(message)
        else replies.push(message)
      })
      const reply = () =>
        new Promise((resolve, reject) => {
          if (replies.length) return resolve(replies.shift())
          waiting.push(resolve)
          socket.once('close', () => reject(new Error('the shim closed the socket')))
        })
      return new Promise((resolve, reject) => {
        socket.once('error', reject)
        socket.once('open', async () => {
          const { signal, waitMs } = options
          const onAbort = () => socket.send(JSON.stringify({ op: 'abort' }))
          if (signal?.aborted) onAbort()
          signal?.addEventListener('abort', onAbort, { once: true })
          socket.send(JSON.stringify({ op: 'acquire', name, ttlMs, waitMs }))
          const answer = await reply().catch((err) => ({ op: 'error', message: String(err) }))
          signal?.removeEventListener('abort', onAbort)
          if (answer.op !== 'acquired') {
            socket.close()
            reject(new SfAuthError(answer.message, { errorCode: answer.code }))
            return
          }
          let released
          resolve(() => {
            released ??= (async () => {
              socket.send(JSON.stringify({ op: 'release' }))
              await reply().catch(() => {})
              socket.close()
            })()
            return released
          })
        })
      })
    },
  }
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
