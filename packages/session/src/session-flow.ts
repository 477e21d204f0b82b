import { type Flow, type FlowContext, type Session, SfAuthError } from '@sfauth/core/flow'
import { type LockRelease, lockError, type SessionLock } from './lock.js'
import { logoutSession } from './logout.js'
import { type SessionStore, storeCall } from './store.js'
import { fromStored, toStored } from './stored-session.js'

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
  lock?: { lock: SessionLock; ttlMs: number; waitMs: number }
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

/** How often a holder of the lock tries a save before its request goes on; the first pause (doubles). */
const SAVE_ATTEMPTS = 4
const SAVE_PAUSE_MS = 50
/** The longest pause between the tries of a lock kept after a failed save. */
const KEPT_PAUSE_MS = 10_000

/** A pause; `unref`: one that never keeps a Node process alive on its own. */
function pause(ms: number, unref?: boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms) as { unref?(): void }
    if (unref) timer.unref?.()
  })
}

function secretsOf(session: Session | undefined): (string | undefined)[] {
  return [session?.accessToken, session?.refreshToken]
}

function save(store: SessionStore, key: string, session: Session): Promise<unknown> {
  const stored = toStored(session)
  return storeCall(`save ${key}`, () => store.setItem(key, stored), secretsOf(session))
}

/**
 * Saves `session` and confirms it by reading the store back, up to `attempts` times with a
 * short, doubling pause. @returns `true` once confirmed, else the last error (if any); never rejects.
 */
async function confirmed(
  store: SessionStore,
  key: string,
  session: Session,
  attempts: number,
): Promise<unknown> {
  let last: unknown
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt) await pause(SAVE_PAUSE_MS * 2 ** (attempt - 1))
    try {
      await save(store, key, session)
      const read = fromStored(await storeCall(`read ${key}`, () => store.getItem(key)))
      if (read.status === 'session' && read.session.accessToken === session.accessToken) return true
    } catch (err) {
      last = err
    }
  }
  return last
}

/** A lock kept after a renewal whose save failed once it had rotated the refresh token. */
interface Kept {
  release: LockRelease
  /** The try under way: whoever takes the lock over waits for it, so saves never cross. */
  attempt?: Promise<unknown>
  /** Set when a later renewal or save of this flow takes the lock over: the tries stop. */
  stopped?: boolean
}

/** What a flow with a lock knows about its renewals. */
interface Holding {
  /** Set while the step runs under the lock: saves are tried again and confirmed. */
  inLock: boolean
  /** The expired session the step under the lock started from. */
  expired?: Session | undefined
  /** Set by a save under the lock that failed after a rotation: the lock must be kept. */
  unsaved?: Session | undefined
  kept?: Kept | undefined
  /**
   * The access token of the stale session the store still holds while the lock is kept: its
   * refresh token was rotated out by this process, so this process never adopts it.
   */
  spent?: string | undefined
  /** The lease held while the step runs (replaced when it was lost and taken again). */
  lease?: LockRelease | undefined
  /** Takes the lock again (the step's wait bound and signal), once the lease was lost. */
  relock?: (() => Promise<LockRelease>) | undefined
}

/** Stops the tries of a kept lock (waiting for the one under way) and hands the lock over. */
async function takeOver(holding: Holding): Promise<Kept | undefined> {
  const kept = holding.kept
  holding.kept = undefined
  if (kept) {
    kept.stopped = true
    await kept.attempt
  }
  return kept
}

/**
 * Keeps the lock after a renewal whose save failed once it had rotated the refresh token (the
 * store still holds the one it replaced, and renewing with that would be a replay): tries the
 * save again, pausing 250 ms doubling up to {@link KEPT_PAUSE_MS}, never keeping the process
 * alive, and releases once it lands; a later renewal or save of this flow takes the lock over.
 */
function keep(
  store: SessionStore,
  key: string,
  holding: Holding,
  release: LockRelease,
  session: Session,
): void {
  const kept: Kept = { release }
  holding.kept = kept
  void (async () => {
    for (let ms = 250; ; ms = Math.min(ms * 2, KEPT_PAUSE_MS)) {
      await pause(ms, true)
      if (kept.stopped) return
      kept.attempt = confirmed(store, key, session, 1)
      if ((await kept.attempt) === true && !kept.stopped) {
        holding.kept = holding.spent = undefined
        return release()
      }
    }
  })()
}

/**
 * Runs `step` holding the renewal lock: no lock, no renewal (a refresh token sent without it
 * could be one another process already rotated out). The step's save is tried again and
 * confirmed before release ({@link persistUnderLock}); when it cannot be made after a rotation,
 * the lock is kept ({@link keep}), so no other process renews with the spent refresh token.
 */
async function underLock<T>(
  { lock, ttlMs, waitMs }: NonNullable<CheckedOptions['lock']>,
  store: SessionStore,
  key: string,
  holding: Holding,
  expired: Session | undefined,
  step: () => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  const acquire = async (): Promise<LockRelease> => {
    try {
      return await lock.acquire(key, ttlMs, { waitMs, ...(signal ? { signal } : {}) })
    } catch (err) {
      if (err instanceof SfAuthError) throw err
      throw lockError(
        'ERR_LOCK_UNAVAILABLE',
        `The session lock "${key}" could not be taken, so the session was not renewed: ${err instanceof Error ? err.message : String(err)}`,
        err,
      )
    }
  }
  holding.lease = (await takeOver(holding))?.release ?? (await acquire())
  holding.relock = acquire
  holding.inLock = true
  holding.expired = expired
  holding.unsaved = undefined
  try {
    // The step re-reads the store ({@link restore}: it checks the lease is still held before a
    // renewal), and adopts or renews and saves (awaited) before release.
    return await step()
  } finally {
    holding.inLock = false
    const release = holding.lease
    holding.lease = holding.relock = undefined
    // No lease: it was lost and could not be taken again, and nothing was renewed.
    if (release && holding.unsaved) keep(store, key, holding, release, holding.unsaved)
    else await release?.()
  }
}

/**
 * Whether the step under the lock still holds it: asked right before the step renews (sends
 * the refresh token). A lock that cannot tell ({@link LockRelease} without `stillHeld`) counts
 * as held unless its `signal` said otherwise.
 */
async function stillHolds(lease: LockRelease | undefined): Promise<boolean> {
  if (!lease) return false
  if (lease.stillHeld) return lease.stillHeld()
  return !lease.signal?.aborted
}

/**
 * Saves a renewal under the lock: up to {@link SAVE_ATTEMPTS} tries, each read back. When the
 * store will not take it and the renewal rotated the refresh token, the lock is to be kept.
 * Rejects with the store's error either way: core reports it on the connection's `'error'` and
 * the request goes on with the new token.
 */
async function persistUnderLock(
  store: SessionStore,
  key: string,
  holding: Holding,
  session: Session,
): Promise<void> {
  const last = await confirmed(store, key, session, SAVE_ATTEMPTS)
  if (last === true) {
    holding.spent = undefined
    return
  }
  const { expired } = holding
  // With rotation off (or a flow without refresh tokens) nothing was spent: the others renew.
  const rotated = !!expired?.refreshToken && session.refreshToken !== expired.refreshToken
  if (rotated) {
    holding.unsaved = session
    holding.spent ??= expired.accessToken
  }
  throw new SfAuthError(
    `Session store: could not save the renewed session "${key}" (${last instanceof Error ? last.message : 'not kept'})${rotated ? '; the lock is kept until it is saved, so no process renews with the refresh token it replaced' : ''}.`,
    { errorCode: 'ERR_STORE', cause: last },
  )
}

/**
 * The saved session to adopt. Under the lock this is the step's re-read, the last moment before
 * a renewal sends the refresh token: with nothing newer saved, the lease must still be this
 * process's. When it was lost (Redis restarted without persistence, a lock directory taken over
 * after a stall), another process may be renewing with the same refresh token, and renewing too
 * would be a replay that makes Salesforce revoke the token chain: wait for the lock again (the
 * other holder saves before it releases) and read what it saved.
 */
async function restore(
  store: SessionStore,
  key: string,
  ctx: FlowContext,
  holding: Holding,
): Promise<Session | undefined> {
  for (;;) {
    const saved = await readSaved(store, key, ctx, holding)
    if (!holding.inLock || (saved && saved.accessToken !== ctx.session?.accessToken)) return saved
    if (await stillHolds(holding.lease)) return saved
    // The lost lease's release frees nothing of the new holder's.
    await holding.lease?.()
    holding.lease = undefined
    holding.lease = await (holding.relock as () => Promise<LockRelease>)()
  }
}

async function readSaved(
  store: SessionStore,
  key: string,
  ctx: FlowContext,
  holding: Holding,
): Promise<Session | undefined> {
  const value = await storeCall(`read ${key}`, () => store.getItem(key))
  const read = fromStored(value)
  if (read.status === 'invalid') {
    // Our key holds something unusable: clear it so it is not read again on every start.
    await storeCall(`remove ${key}`, () => store.removeItem(key))
    return undefined
  }
  if (read.status !== 'session') return undefined
  // A connection set up for one org must not pick up a session of another, nor this process
  // the stale session it renewed but could not replace.
  if (
    (ctx.instanceUrl !== undefined && ctx.instanceUrl !== read.session.instanceUrl) ||
    read.session.accessToken === holding.spent
  ) {
    return undefined
  }
  return read.session
}

async function persist(
  store: SessionStore,
  key: string,
  session: Session | undefined,
  holding: Holding,
): Promise<void> {
  if (session && holding.inLock) return persistUnderLock(store, key, holding, session)
  // A login or logout ends a lock kept after a failed save: the session it guarded is replaced.
  const kept = await takeOver(holding)
  try {
    if (session) await save(store, key, session)
    else await storeCall(`remove ${key}`, () => store.removeItem(key))
    holding.spent = undefined
  } finally {
    await kept?.release()
  }
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
  const holding: Holding = { inLock: false }
  return {
    ...flow,
    restore: (ctx) => restore(store, key, ctx, holding),
    persist: (_ctx, current) => persist(store, key, current, holding),
    ...(lock
      ? {
          coordinateRenewal: <T>(
            ctx: FlowContext,
            step: () => Promise<T>,
            { signal }: { signal?: AbortSignal },
          ) => underLock(lock, store, key, holding, ctx.session, step, signal),
        }
      : {}),
  }
}
