// The attack a lock's lost lease allows, through session({ store, lock }): process A takes the
// renewal lock and re-reads the store; its lease is lost while it holds it (Redis restarted
// without persistence, its lock directory taken over after a stall); B takes the lock, renews
// with the refresh token both hold (rotation on) and saves. Had A then sent that refresh token
// too, it would be a replay, and Salesforce (the emulator, like it) revokes the whole token
// chain. A must check its lease right before it renews and adopt B's session instead.
import { Connection, type Flow, type TokenResponse } from '@sfauth/core'
import { createEmulator } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { type SessionLock, session } from '@sfauth/session'
import { http, passthrough } from 'msw'
import { beforeEach, describe, expect, it } from 'vitest'
import { useMswEmulator } from './msw.js'

/** What differs from one lock to the next. */
export interface LostLeaseUnderTest {
  /** The lock's name in the test title. */
  name: string
  /** A lock as one process holds it (each call: another process's, on the same backend). */
  make(): SessionLock | Promise<SessionLock>
  /** Makes the backend lose every lock while its holders live (a restart, a takeover). */
  forgetLocks(): Promise<void>
  /**
   * The origin of a loopback server the lock itself talks to (a Worker runtime serving it), let
   * through to the network; a request to any other host but Salesforce's still fails the test.
   */
  passthrough?(): string
}

const REDIRECT_URI = 'http://127.0.0.1:3000/oauth2/callback'
const USER = {
  username: 'lost-lease@example.com',
  password: 'NotUsedHere-LostLease-1',
  userId: '005gK0000LostLeaseQA',
  orgId: '00DgK0000LostLeaseQA',
}
const APP = {
  clientId: '3MVG9lostLeaseRenewalTestClient00000000000000000000000000000000000000000',
  clientSecret: 'LOSTLEASECLIENTSECRET000000000000000000000000000000000000000000',
  redirectUris: [REDIRECT_URI],
  rotateRefreshTokens: true,
}

/** The session store the processes share, in memory. */
function memoryStore() {
  const items = new Map<string, unknown>()
  return {
    getItem: (key: string) => items.get(key),
    setItem: (key: string, value: unknown) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  }
}

/** A store whose reads can be held after they read: the read happened, its answer is late. */
function gatedStore(store: ReturnType<typeof memoryStore>) {
  let gate: { reached: () => void; open: Promise<void> } | undefined
  return {
    getItem: async (key: string) => {
      const value = await store.getItem(key)
      const held = gate
      gate = undefined
      if (held) {
        held.reached()
        await held.open
      }
      return value
    },
    setItem: (key: string, value: unknown) => store.setItem(key, value),
    removeItem: (key: string) => store.removeItem(key),
    /** Holds the next read's answer until `open` settles; resolves once that read has happened. */
    holdNextRead(open: Promise<void>): Promise<void> {
      return new Promise((reached) => {
        gate = { reached, open }
      })
    },
  }
}

/**
 * Defines the test: A's lease is lost between its re-read under the lock and its renewal; B
 * renews meanwhile. A adopts B's session: one refresh-token call in all, the chain intact.
 */
export function testRenewalOnLostLease(lock: LostLeaseUnderTest): void {
  const emulator = useMswEmulator(() => createEmulator({ users: [USER], apps: [APP] }))
  if (lock.passthrough) {
    const origin = lock.passthrough
    beforeEach(() => emulator.override(http.all(`${origin()}/*`, () => passthrough())))
  }
  const connect = (flow: Flow) =>
    new Connection({
      oauth2: new OAuth2({
        clientId: APP.clientId,
        clientSecret: APP.clientSecret,
        redirectUri: REDIRECT_URI,
      }),
      flows: [flow],
    })

  describe(`session({ store, lock: ${lock.name} }): a lease lost in the middle of a renewal`, () => {
    it('the holder that lost it adopts the session the next holder renewed: one token call, no replay, the chain intact', async () => {
      const store = memoryStore()
      const storeA = gatedStore(store)
      const a = connect(session({ store: storeA, lock: await lock.make(), lockTtlMs: 3_000 }))
      const b = connect(session({ store, lock: await lock.make(), lockTtlMs: 3_000 }))
      await a.authorize(
        emulator.emu.approve({
          clientId: APP.clientId,
          username: USER.username,
          redirectUri: REDIRECT_URI,
          scope: 'api refresh_token',
        }),
      )
      await b.request('limits') // restored from the store: both hold the same refresh token
      expect(b.refreshToken).toBe(a.refreshToken)
      emulator.emu.expireSessions()
      emulator.emu.resetCalls()

      // A takes the lock and re-reads the store; its answer (nothing newer) comes late.
      let open!: () => void
      const reading = storeA.holdNextRead(new Promise<void>((resolve) => (open = resolve)))
      const heard: [string, Partial<TokenResponse>][] = []
      a.on('refresh', (token, res) => heard.push([token, res]))
      const requestA = a.request('limits').then(
        () => undefined,
        (err: unknown) => err,
      )
      await reading
      // Meanwhile the lock forgets A, B takes it, renews (rotating the refresh token), saves.
      await lock.forgetLocks()
      await b.request('limits')
      expect(emulator.emu.count('token', 'refresh_token')).toBe(1)
      // A's read answers now: the session that expired, nothing newer.
      open()

      expect(await requestA).toBeUndefined()
      expect(emulator.emu.count('token', 'refresh_token')).toBe(1)
      expect(a.accessToken).toBe(b.accessToken)
      expect(a.refreshToken).toBe(b.refreshToken)
      expect(heard.map(([token]) => token)).toEqual([b.accessToken])
      // The chain was not revoked: the next expiry renews with the rotated token.
      emulator.emu.expireSessions()
      await b.request('limits')
      await a.request('limits')
      expect(emulator.emu.count('token', 'refresh_token')).toBe(2)
    })
  })
}
