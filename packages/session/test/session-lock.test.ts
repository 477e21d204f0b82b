import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Connection, SfAuthError, type TokenResponse } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { createStorage, type Storage } from 'unstorage'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lockError, type SessionLock, session } from '../src/index.js'
import { fileLock } from '../src/node/file-lock.js'
import { APP, approve, newEmulator, REDIRECT_URI } from './helpers.js'

const emulator = useMswEmulator(newEmulator)
let dir: string
let store: Storage
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfauth-session-lock-'))
  store = createStorage()
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A real fileLock that writes down what happens to it, in order, into `log`. */
function recordingLock(log: string[]): SessionLock & { signals: (AbortSignal | undefined)[] } {
  const inner = fileLock({ dir: join(dir, 'locks') })
  const signals: (AbortSignal | undefined)[] = []
  return {
    signals,
    async acquire(name, ttlMs, options) {
      signals.push(options?.signal)
      log.push(`acquire ${name} ${ttlMs} ${options?.waitMs}`)
      const release = await inner.acquire(name, ttlMs, options)
      return async () => {
        log.push('release')
        await release()
      }
    },
  }
}

/** The store, writing down each save into `log`. */
function recordingStore(log: string[]) {
  return {
    getItem: (key: string) => store.getItem(key),
    setItem: async (key: string, value: unknown) => {
      log.push('save')
      await store.setItem(key, value as never)
    },
    removeItem: (key: string) => store.removeItem(key),
  }
}

function connect(flow = session({ store, lock: fileLock({ dir: join(dir, 'locks') }) })) {
  const oauth2 = new OAuth2({
    clientId: APP.clientId,
    clientSecret: APP.clientSecret,
    redirectUri: REDIRECT_URI,
  })
  return new Connection({ oauth2, flows: [flow] })
}

describe('session({ store, lock }) options', () => {
  it('rejects a lock without a store, a lock without acquire, and a wait shorter than the lease', () => {
    const lock = fileLock({ dir })
    expect(() => session({ lock })).toThrow(/needs a store/)
    expect(() => session({ store, lock: {} as SessionLock })).toThrow(/acquire/)
    expect(() => session({ store, lock, lockTtlMs: 5_000, lockWaitMs: 1_000 })).toThrow(
      /at least lockTtlMs/,
    )
    expect(() => session({ store, lock, lockTtlMs: -1 })).toThrow(/lockTtlMs/)
  })
})

describe('session({ store, lock }) in one process', () => {
  it('50 concurrent requests across an expiry: the lock is taken once, the save lands before release', async () => {
    const log: string[] = []
    const lock = recordingLock(log)
    const conn = connect(
      session({ store: recordingStore(log), key: 'k1', lock, lockTtlMs: 4_000, lockWaitMs: 9_000 }),
    )
    await conn.authorize(approve(emulator.emu))
    log.length = 0
    emulator.emu.expireSessions()
    emulator.emu.resetCalls()
    const results = await Promise.all(Array.from({ length: 50 }, () => conn.request('limits')))
    expect(results).toHaveLength(50)
    expect(emulator.emu.count('token', 'refresh_token')).toBe(1)
    expect(log).toEqual(['acquire k1 4000 9000', 'save', 'release'])
  })

  it('adopts a session another process renewed and saved: no token call, and its refresh listeners hear the token', async () => {
    const a = connect()
    await a.authorize(approve(emulator.emu))
    const b = connect()
    await b.request('limits') // restored from the store
    emulator.emu.expireSessions()
    emulator.emu.resetCalls()
    await a.request('limits') // a renews (rotation on) and saves
    expect(emulator.emu.count('token', 'refresh_token')).toBe(1)

    const heard: [string, Partial<TokenResponse>][] = []
    b.on('refresh', (token, res) => heard.push([token, res]))
    await b.request('limits')
    // b's old token expired; it adopted a's with no token call, and did not replay its old
    // (rotated-out) refresh token.
    expect(emulator.emu.count('token', 'refresh_token')).toBe(1)
    expect(b.accessToken).toBe(a.accessToken)
    expect(heard).toEqual([
      [
        a.accessToken,
        expect.objectContaining({
          access_token: a.accessToken,
          instance_url: emulator.emu.instanceUrl,
          refresh_token: a.refreshToken,
        }),
      ],
    ])
  })

  it('a lock that cannot be had rejects the request with its code, with no token call', async () => {
    const timeout: SessionLock = {
      acquire: async () => {
        throw lockError('ERR_LOCK_TIMEOUT', 'Could not take the lock "k" within 10 ms')
      },
    }
    const conn = connect(session({ store, lock: timeout }))
    await conn.authorize(approve(emulator.emu))
    emulator.emu.expireSessions()
    emulator.emu.resetCalls()
    expect(await rejection(conn.request('limits'))).toMatchObject({
      errorCode: 'ERR_LOCK_TIMEOUT',
    })
    expect(emulator.emu.count('token')).toBe(0)
  })

  it('a lock that throws something else is ERR_LOCK_UNAVAILABLE, never a renewal without it', async () => {
    const broken: SessionLock = {
      acquire: async () => {
        throw new Error('backend exploded')
      },
    }
    const conn = connect(session({ store, lock: broken }))
    await conn.authorize(approve(emulator.emu))
    emulator.emu.expireSessions()
    emulator.emu.resetCalls()
    const err = await rejection(conn.request('limits'))
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'ERR_LOCK_UNAVAILABLE' })
    expect((err as Error).message).toMatch(/not renewed: backend exploded/)
    expect(emulator.emu.count('token')).toBe(0)
  })

  it("honours the callers' signals while waiting: each caller stops at its own; the lock stops once all have", async () => {
    const log: string[] = []
    const lock = recordingLock(log)
    const conn = connect(session({ store, lock, lockTtlMs: 2_000, lockWaitMs: 60_000 }))
    await conn.authorize(approve(emulator.emu))
    // Another process holds the lock.
    const releaseOther = await fileLock({ dir: join(dir, 'locks') }).acquire(
      'sfauth:session',
      30_000,
    )
    try {
      emulator.emu.expireSessions()
      emulator.emu.resetCalls()
      const first = new AbortController()
      const second = new AbortController()
      const one = rejection(conn.request('limits', { signal: first.signal }))
      const two = rejection(conn.request('limits', { signal: second.signal }))
      await expect.poll(() => lock.signals.length).toBe(1)
      const lockSignal = lock.signals[0] as AbortSignal
      first.abort()
      expect(await one).toMatchObject({ errorCode: 'ERR_ABORTED' })
      // The second caller still waits, so the lock still waits for it.
      expect(lockSignal.aborted).toBe(false)
      second.abort()
      expect(await two).toMatchObject({ errorCode: 'ERR_ABORTED' })
      expect(lockSignal.aborted).toBe(true)
      expect(emulator.emu.count('token')).toBe(0)
    } finally {
      await releaseOther()
    }
  })
})
