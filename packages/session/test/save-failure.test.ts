import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Connection, SfAuthError } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { createStorage, type Storage } from 'unstorage'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type SessionStore, session } from '../src/index.js'
import { fileLock } from '../src/node/file-lock.js'
import { APP, approve, newEmulator, REDIRECT_URI } from './helpers.js'

// The shared lock meets a store that fails: under the lock, a renewal whose save fails must not let
// the next holder renew with the refresh token it rotated out (a replay revokes the whole chain).
// In-process: two Connections, each with its own session() flow, sharing one store and one real
// fileLock directory (the lock files are the same a second process would contend on).

const emulator = useMswEmulator(newEmulator)
let dir: string
let store: Storage
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfauth-save-failure-'))
  store = createStorage()
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The shared store, whose saves fail while `failures` lasts. */
function failingStore() {
  const ctl = { failures: 0, saves: 0 }
  const wrapped: SessionStore = {
    getItem: (key) => store.getItem(key),
    setItem: async (key, value) => {
      ctl.saves++
      if (ctl.failures > 0) {
        ctl.failures--
        throw new Error('ENOSPC: no space left on device')
      }
      await store.setItem(key, value as never)
    },
    removeItem: (key) => store.removeItem(key),
  }
  return { ctl, wrapped }
}

const savedToken = async () =>
  (await store.getItem<{ accessToken: string }>('sfauth:session'))?.accessToken

function connect(shared: SessionStore) {
  const oauth2 = new OAuth2({
    clientId: APP.clientId,
    clientSecret: APP.clientSecret,
    redirectUri: REDIRECT_URI,
  })
  const lock = fileLock({ dir: join(dir, 'locks') })
  const conn = new Connection({
    oauth2,
    flows: [session({ store: shared, lock, lockTtlMs: 2_000, lockWaitMs: 3_000 })],
  })
  const errors: unknown[] = []
  const refreshed: string[] = []
  conn.on('error', (err) => errors.push(err))
  conn.on('refresh', (token) => refreshed.push(token))
  return { conn, errors, refreshed }
}

/** A holder `a` and a waiter `b` that restored a's session from the store; then an expiry. */
async function twoProcesses(shared: SessionStore) {
  const a = connect(shared)
  await a.conn.authorize(approve(emulator.emu))
  const b = connect(shared)
  await b.conn.request('limits') // restored from the store
  expect(b.conn.accessToken).toBe(a.conn.accessToken)
  emulator.emu.expireSessions()
  emulator.emu.resetCalls()
  return { a, b }
}

describe('session({ store, lock }): a renewal whose save fails', () => {
  it('a save that fails twice is retried under the lock: 1 refresh, the waiter adopts, no error', async () => {
    const { ctl, wrapped } = failingStore()
    const { a, b } = await twoProcesses(wrapped)
    ctl.failures = 2
    ctl.saves = 0
    await a.conn.request('limits')
    expect(ctl.saves).toBe(3)
    expect(a.errors).toEqual([])
    expect(a.refreshed).toEqual([a.conn.accessToken])
    expect(await savedToken()).toBe(a.conn.accessToken)

    await b.conn.request('limits')
    expect(b.conn.accessToken).toBe(a.conn.accessToken)
    expect(emulator.emu.count('token', 'refresh_token')).toBe(1)
    expect(emulator.emu.isValidAccessToken(a.conn.accessToken as string)).toBe(true)
    expect(b.errors).toEqual([])
  })

  it('a save that always fails: the holder succeeds and keeps the lock; the waiter times out, no replay; the store back, all heal', async () => {
    const { ctl, wrapped } = failingStore()
    const { a, b } = await twoProcesses(wrapped)
    const stale = a.conn.accessToken
    ctl.failures = Number.POSITIVE_INFINITY
    await a.conn.request('limits') // succeeds with the new token
    expect(a.conn.accessToken).not.toBe(stale)
    expect(a.refreshed).toEqual([a.conn.accessToken])
    expect(a.errors).toHaveLength(1)
    expect(a.errors[0]).toBeInstanceOf(SfAuthError)
    expect(a.errors[0]).toMatchObject({ errorCode: 'ERR_STORE' })
    expect((a.errors[0] as Error).message).toMatch(
      /could not save the renewed session.*ENOSPC.*the lock is kept until it is saved/,
    )
    expect(await savedToken()).toBe(stale)

    // The waiter cannot take the lock, so it cannot replay the rotated-out refresh token.
    expect(await rejection(b.conn.request('limits'))).toMatchObject({
      errorCode: 'ERR_LOCK_TIMEOUT',
    })
    expect(emulator.emu.count('token', 'refresh_token')).toBe(1)
    expect(emulator.emu.isValidAccessToken(a.conn.accessToken as string)).toBe(true)

    // The holder's next renewal runs under the lock it kept, never adopts the stale session it
    // replaced, and renews with its own refresh token (the store still refuses the save).
    emulator.emu.expireSessions()
    await a.conn.request('limits')
    expect(emulator.emu.count('token', 'refresh_token')).toBe(2)
    expect(a.refreshed).toHaveLength(2)
    expect(a.errors).toHaveLength(2)
    expect(await savedToken()).toBe(stale)

    // The store takes writes again: the kept lock's tries save the session and release it; the
    // waiter adopts it with no token call.
    ctl.failures = 0
    await expect.poll(savedToken, { timeout: 5_000 }).toBe(a.conn.accessToken)
    await b.conn.request('limits')
    expect(b.conn.accessToken).toBe(a.conn.accessToken)
    expect(emulator.emu.count('token', 'refresh_token')).toBe(2)
    expect(b.errors).toEqual([])
    // No secret in what was reported.
    for (const e of a.errors) {
      const text = `${(e as Error).message} ${JSON.stringify(e)}`
      expect(text).not.toContain(a.conn.refreshToken as string)
      expect(text).not.toContain(a.conn.accessToken as string)
    }
  }, 20_000)

  it('a login ends a lock kept after a failed save: it saves and releases', async () => {
    const { ctl, wrapped } = failingStore()
    const { a, b } = await twoProcesses(wrapped)
    ctl.failures = Number.POSITIVE_INFINITY
    await a.conn.request('limits')
    expect(a.errors).toHaveLength(1)
    ctl.failures = 0
    await a.conn.authorize(approve(emulator.emu))
    expect(await savedToken()).toBe(a.conn.accessToken)
    await b.conn.request('limits') // the lock is free: b adopts a's new session
    expect(b.conn.accessToken).toBe(a.conn.accessToken)
  })

  it('with rotation off nothing is spent: the stale session stays and the waiter renews it itself', async () => {
    emulator.emu.addApp({ ...APP, rotateRefreshTokens: false })
    const { ctl, wrapped } = failingStore()
    const { a, b } = await twoProcesses(wrapped)
    const stale = a.conn.accessToken
    ctl.failures = Number.POSITIVE_INFINITY
    await a.conn.request('limits')
    expect(a.errors).toHaveLength(1)
    expect((a.errors[0] as Error).message).not.toMatch(/lock is kept/)
    expect(await savedToken()).toBe(stale)

    await b.conn.request('limits')
    expect(emulator.emu.count('token', 'refresh_token')).toBe(2)
    expect(emulator.emu.isValidAccessToken(a.conn.accessToken as string)).toBe(true)
    expect(emulator.emu.isValidAccessToken(b.conn.accessToken as string)).toBe(true)
  })

  it('a store that is down for reads: the process under the lock rejects with ERR_STORE and sends nothing', async () => {
    const { wrapped } = failingStore()
    const { b } = await twoProcesses(wrapped)
    wrapped.getItem = () => {
      throw new Error('ECONNREFUSED')
    }
    expect(await rejection(b.conn.request('limits'))).toMatchObject({ errorCode: 'ERR_STORE' })
    expect(emulator.emu.count('token')).toBe(0)
  })

  it('without a lock a failed save still only goes to the error listeners', async () => {
    const { ctl, wrapped } = failingStore()
    const conn = new Connection({
      oauth2: new OAuth2({
        clientId: APP.clientId,
        clientSecret: APP.clientSecret,
        redirectUri: REDIRECT_URI,
      }),
      flows: [session({ store: wrapped })],
    })
    const errors: unknown[] = []
    conn.on('error', (err) => errors.push(err))
    await conn.authorize(approve(emulator.emu))
    emulator.emu.expireSessions()
    ctl.failures = Number.POSITIVE_INFINITY
    ctl.saves = 0
    await conn.request('limits')
    expect(ctl.saves).toBe(1)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ errorCode: 'ERR_STORE' })
  })
})
