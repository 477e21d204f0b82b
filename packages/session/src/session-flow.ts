import type { Flow, FlowContext, Session } from '@sfauth/core/flow'
import type { SessionLock } from './lock.js'
import { lockedRenewal, type RenewalLockOptions } from './locked-renewal.js'
import { logoutSession } from './logout.js'
import { readSession, removeSession, type SessionStore, saveSession } from './store.js'

/**
 * The key a session is saved under unless `key` says otherwise.
 *
 * @example
 * ```ts
 * await store.hasItem(DEFAULT_SESSION_KEY) // is there a saved session?
 * ```
 */
export const DEFAULT_SESSION_KEY = 'sfauth:session'

/** Options of {@link session}. */
export interface SessionOptions {
  /**
   * Where to keep the session between runs: anything with `getItem`, `setItem` and `removeItem`,
   * such as an unstorage `Storage`. Without it nothing is saved or restored.
   */
  store?: SessionStore
  /** The key in `store`; default {@link DEFAULT_SESSION_KEY}. One key per user or org. */
  key?: string
  /**
   * Shared with `store` by every process that uses the session (`fileLock` from
   * `@sfauth/session/file-lock` on one machine, `redisLock` from `@sfauth/redis` for a fleet):
   * renewal becomes single-flight across all of them. The holder of the lock re-reads the store
   * and adopts a session newer than the expired one, or renews and saves; the others wait and
   * adopt what was saved. A renewal's save is confirmed before release; one that cannot be made
   * never lets another process renew with the refresh token the holder rotated out (see
   * {@link session}). Needs `store`.
   */
  lock?: SessionLock
  /**
   * The lock's lease in ms: how long a holder that died keeps the others waiting. It must cover
   * one token call (the connection's `timeout`) and one save. Default 30 000.
   */
  lockTtlMs?: number
  /**
   * The longest wait for the lock in ms, at least `lockTtlMs` (a dead holder's lease must be able
   * to run out while the others wait). Default `lockTtlMs` + 10 000.
   */
  lockWaitMs?: number
}

/** Default lease of the renewal lock. */
const DEFAULT_LOCK_TTL_MS = 30_000
/** What the default wait adds to the lease: time for the next holder to renew and save. */
const WAIT_MARGIN_MS = 10_000

interface CheckedOptions {
  store?: SessionStore
  key: string
  lock?: RenewalLockOptions
}

function checkLock(
  options: SessionOptions,
  store: SessionStore | undefined,
): CheckedOptions['lock'] {
  const { lock, lockTtlMs = DEFAULT_LOCK_TTL_MS } = options
  if (lock === undefined) return undefined
  if (typeof lock !== 'object' || lock === null || typeof lock.acquire !== 'function') {
    throw new TypeError(
      'session({ lock }): lock must have acquire(name, ttlMs), e.g. fileLock() or redisLock()',
    )
  }
  if (!store) {
    throw new TypeError(
      'session({ lock }) needs a store: the lock guards the session the processes share there',
    )
  }
  const waitMs = options.lockWaitMs ?? lockTtlMs + WAIT_MARGIN_MS
  if (!(lockTtlMs > 0) || !Number.isFinite(lockTtlMs)) {
    throw new TypeError('session({ lockTtlMs }) must be a positive number of milliseconds')
  }
  if (!(waitMs >= lockTtlMs) || !Number.isFinite(waitMs)) {
    throw new TypeError(
      'session({ lockWaitMs }) must be at least lockTtlMs: a dead holder keeps the lock that long',
    )
  }
  return { lock, ttlMs: lockTtlMs, waitMs }
}

function checkOptions(options: SessionOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('session(options) takes { store?, key?, lock? }')
  }
  const { store, key = DEFAULT_SESSION_KEY } = options
  if (
    store !== undefined &&
    (typeof store !== 'object' ||
      store === null ||
      typeof store.getItem !== 'function' ||
      typeof store.setItem !== 'function' ||
      typeof store.removeItem !== 'function')
  ) {
    throw new TypeError(
      'session({ store }): store must have getItem, setItem and removeItem, e.g. createStorage() from unstorage',
    )
  }
  if (typeof key !== 'string' || key === '') {
    throw new TypeError('session({ key }): key must be a non-empty string')
  }
  const lock = checkLock(options, store)
  return { ...(store ? { store } : {}), key, ...(lock ? { lock } : {}) }
}

/** The saved session the connection may use: `undefined` for none, another org's or an unusable value (removed). */
async function readSaved(
  store: SessionStore,
  key: string,
  ctx: FlowContext,
): Promise<Session | undefined> {
  const read = await readSession(store, key)
  if (read.status === 'invalid') {
    // Our key holds something unusable: clear it so it is not read again on every start.
    await removeSession(store, key)
    return undefined
  }
  if (read.status !== 'session') return undefined
  // A connection set up for one org must not pick up a session of another.
  if (ctx.instanceUrl !== undefined && ctx.instanceUrl !== read.session.instanceUrl)
    return undefined
  return read.session
}

/**
 * A flow for sessions made elsewhere (a session ID from a Visualforce page or custom link, a
 * saved access token): it logs them out on the server, and with a `store` it saves every new
 * session of the connection (after login, authorize and renewal, rotated refresh tokens
 * included), restores it on the connection's first use, and removes it on logout.
 *
 * It does not renew sessions: register a flow that can (`new OAuth2({...})` with a refresh
 * token, `jwtBearer()`, `clientCredentials()`, `soapLogin()`) alongside it.
 *
 * With a `lock` as well, renewal is single-flight across every process sharing the store and
 * the lock (its {@link Flow.coordinateRenewal}): on an expired session one process per expiry
 * takes the lock, re-reads the store, adopts a session newer than the one that failed with no
 * token call, or else renews through the flow that made the session and saves before it
 * releases; the others wait and adopt what was saved. A refresh token is never sent twice, so
 * refresh-token rotation stays safe. Every process's `'refresh'` listeners hear the new token.
 *
 * Under the lock a renewal's save is tried up to 4 times (50, 100, 200 ms apart) and read back
 * before the lock is released. If it still fails after a rotation, the store holds the refresh
 * token the holder just rotated out, and nobody may renew with it: the holder keeps the lock and
 * tries the save again in the background (up to every 10 s, never keeping the process alive)
 * until it lands; the others reject with `ERR_LOCK_TIMEOUT` meanwhile, with no token call. The
 * holder's own request succeeds; the store's error goes to the connection's `'error'` listeners.
 *
 * @param options `store` (an unstorage `Storage` or anything with `getItem`, `setItem`,
 *   `removeItem`), `key` (default `'sfauth:session'`), and `lock`, `lockTtlMs` (default 30 000),
 *   `lockWaitMs` (default `lockTtlMs` + 10 000) for a session shared by processes.
 * @returns a {@link Flow} to pass in `new Connection({ flows: [...] })` or `conn.use()`.
 * @throws {TypeError} when `store` lacks one of the three methods, `key` is empty, `lock` has no
 *   `acquire`, a `lock` comes without a `store`, or `lockWaitMs` is below `lockTtlMs`.
 *   The flow's calls reject with `SfAuthError` `ERR_STORE` when the store fails, with
 *   `ERR_LOCK_TIMEOUT`, `ERR_LOCK_UNAVAILABLE` or `ERR_LOCK_ABORTED` when the renewal lock cannot
 *   be had (the session is then not renewed), and with Salesforce's error when a logout fails
 *   for another reason than an already-dead session.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_logout.htm
 * @see https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_revoke_token.htm&type=5
 * @example
 * ```ts
 * import { Connection } from '@sfauth/core'
 * import { OAuth2 } from '@sfauth/oauth2'
 * import { session } from '@sfauth/session'
 * import { createStorage } from 'unstorage'
 * import fsDriver from 'unstorage/drivers/fs'
 *
 * const store = createStorage({ driver: fsDriver({ base: './.sfauth' }) })
 * const conn = new Connection({ oauth2: new OAuth2({ clientId }), flows: [session({ store })] })
 * await conn.request('limits') // the saved session, renewed through OAuth2 when it has expired
 *
 * // Many processes on one machine, one renewal per expiry:
 * import { fileLock } from '@sfauth/session/file-lock'
 * session({ store, lock: fileLock({ dir: './.sfauth/locks' }) })
 * ```
 */
export function session(options: SessionOptions = {}): Flow {
  const { store, key, lock } = checkOptions(options)
  const flow: Flow = {
    name: '@sfauth/session',
    logout: logoutSession,
  }
  if (!store) return flow
  const read = (ctx: FlowContext) => readSaved(store, key, ctx)
  if (!lock) {
    return {
      ...flow,
      restore: read,
      persist: async (_ctx, current) => {
        if (current) await saveSession(store, key, current)
        else await removeSession(store, key)
      },
    }
  }
  const renewal = lockedRenewal(lock, store, key)
  return {
    ...flow,
    restore: (ctx) => renewal.adopt(() => read(ctx)),
    persist: (_ctx, current) => renewal.persist(current),
    coordinateRenewal: <T>(
      ctx: FlowContext,
      step: () => Promise<T>,
      { signal }: { signal?: AbortSignal },
    ) => renewal.run(ctx.session, step, signal),
  }
}
