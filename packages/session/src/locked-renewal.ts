import { type Session, SfAuthError } from '@sfauth/core/flow'
import { type LockRelease, lockError, type SessionLock } from './lock.js'
import { confirmSave, pause, removeSession, type SessionStore, saveSession } from './store.js'

/** How often the holder of the lock tries a renewal's save before its request goes on. */
const SAVE_ATTEMPTS = 4
/** The longest pause between the tries of a lock kept after a failed save. */
const KEPT_PAUSE_MS = 10_000

/** The lock of a `session({ store, lock })` flow and how long it may be held and waited for. */
export interface RenewalLockOptions {
  lock: SessionLock
  /** The lease. */
  ttlMs: number
  /** The longest wait for the lock. */
  waitMs: number
}

/** One renewal running under the lock. */
interface Held {
  /** The expired session the renewal started from. */
  readonly expired: Session | undefined
  /** The lease (replaced when it was lost and taken again). */
  lease: LockRelease
  /** Takes the lock again, within the renewal's wait bound and signal. */
  readonly retake: () => Promise<LockRelease>
  /** Set by a save that failed after a rotation: the lock must be kept until it lands. */
  unsaved?: Session
}

/** A lock kept after a renewal whose save failed once it had rotated the refresh token. */
interface Kept {
  readonly lease: LockRelease
  /** The save under way: whoever takes the lock over waits for it, so saves never cross. */
  attempt?: Promise<unknown>
  /** Set when a later renewal or save of this flow takes the lock over: the tries stop. */
  stopped?: boolean
}

/**
 * The renewal of one `session({ store, lock })` flow across processes, and everything it knows
 * between renewals. Core calls {@link LockedRenewal.run} through `Flow.coordinateRenewal`, and
 * the flow's `restore` and `persist` go through {@link LockedRenewal.adopt} and
 * {@link LockedRenewal.persist}:
 *
 * - no lock, no renewal: a refresh token sent without it could be one another process already
 *   rotated out;
 * - under the lock, the re-read of the store adopts a session newer than the expired one; with
 *   nothing newer, the lease must still be this process's before the renewal sends the refresh
 *   token, else it waits for the lock again and re-reads (the next holder saves before it
 *   releases);
 * - a renewal's save is confirmed before release; when it cannot be made after a rotation, the
 *   lock is kept and the save tried again in the background, so no process renews with the
 *   refresh token this one rotated out, and this process never adopts the stale session the
 *   store still holds.
 */
export interface LockedRenewal {
  /**
   * Runs the connection's adopt-or-renew `step` holding the lock (or the lock kept after a
   * failed save), then releases it, or keeps it when the renewal's save could not be made.
   * @throws {SfAuthError} `ERR_LOCK_*` when the lock cannot be had: the step does not run.
   */
  run<T>(
    expired: Session | undefined,
    step: () => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T>
  /**
   * What a read of the store may give the connection to adopt: never the stale session this
   * process could not replace. Under the lock this is the step's re-read, the last moment before
   * a renewal sends the refresh token: with nothing newer than the expired session saved, the
   * lease must still be held; when it was lost (Redis restarted without persistence, a lock
   * directory taken over after a stall) another process may be renewing with the same refresh
   * token, and a second renewal would be a replay that makes Salesforce revoke the token chain,
   * so it waits for the lock again and reads what the other holder saved.
   * @param read reads the saved session (`undefined` for none usable).
   * @throws {SfAuthError} `ERR_STORE`, or `ERR_LOCK_*` when a lost lock cannot be had again.
   */
  adopt(read: () => Promise<Session | undefined>): Promise<Session | undefined>
  /**
   * Saves a change of session. A renewal's, under the lock: up to {@link SAVE_ATTEMPTS} tries,
   * each read back; when the store will not take it and the renewal rotated the refresh token,
   * the lock is kept. Rejects with the store's error either way (core reports it on the
   * connection's `'error'`; the request goes on with the new token). Any other (a login, a
   * logout: `undefined`) replaces what a kept lock guarded, and releases it.
   */
  persist(session: Session | undefined): Promise<void>
}

/**
 * The {@link LockedRenewal} of one flow: its state (the renewal under the lock, a lock kept after
 * a failed save, the spent session) lives in this closure and nowhere else.
 */
export function lockedRenewal(
  { lock, ttlMs, waitMs }: RenewalLockOptions,
  store: SessionStore,
  key: string,
): LockedRenewal {
  /** The renewal running under the lock, if any. */
  let held: Held | undefined
  /** The lock kept after a failed save, if any. */
  let kept: Kept | undefined
  /**
   * The access token of the stale session the store still holds while the lock is kept: its
   * refresh token was rotated out by this process.
   */
  let spent: string | undefined

  const acquire = async (signal: AbortSignal | undefined): Promise<LockRelease> => {
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

  /** Stops the tries of a kept lock (waiting for the one under way) and hands the lock over. */
  const takeOver = async (): Promise<Kept | undefined> => {
    const taken = kept
    kept = undefined
    if (taken) {
      taken.stopped = true
      await taken.attempt
    }
    return taken
  }

  /**
   * Keeps the lock after a renewal whose save failed once it had rotated the refresh token (the
   * store still holds the one it replaced): tries the save again, pausing 250 ms doubling up to
   * {@link KEPT_PAUSE_MS}, never keeping the process alive, and releases once it lands; a later
   * renewal or save of this flow takes the lock over.
   */
  const keep = (lease: LockRelease, session: Session): void => {
    const mine: Kept = { lease }
    kept = mine
    void (async () => {
      for (let ms = 250; ; ms = Math.min(ms * 2, KEPT_PAUSE_MS)) {
        await pause(ms, true)
        if (mine.stopped) return
        mine.attempt = confirmSave(store, key, session, 1)
        if ((await mine.attempt) === true && !mine.stopped) {
          kept = spent = undefined
          return lease()
        }
      }
    })()
  }

  const saveRenewal = async (run: Held, session: Session): Promise<void> => {
    const last = await confirmSave(store, key, session, SAVE_ATTEMPTS)
    if (last === true) {
      spent = undefined
      return
    }
    const { expired } = run
    // With rotation off (or a flow without refresh tokens) nothing was spent: the others renew.
    const rotated = !!expired?.refreshToken && session.refreshToken !== expired.refreshToken
    if (rotated) {
      run.unsaved = session
      spent ??= expired.accessToken
    }
    throw new SfAuthError(
      `Session store: could not save the renewed session "${key}" (${last instanceof Error ? last.message : 'not kept'})${rotated ? '; the lock is kept until it is saved, so no process renews with the refresh token it replaced' : ''}.`,
      { errorCode: 'ERR_STORE', cause: last },
    )
  }

  return {
    async run(expired, step, signal) {
      const retake = () => acquire(signal)
      const run: Held = { expired, lease: (await takeOver())?.lease ?? (await retake()), retake }
      held = run
      try {
        // The step re-reads the store (adopt()), and adopts or renews and saves (awaited).
        return await step()
      } finally {
        held = undefined
        if (run.unsaved) keep(run.lease, run.unsaved)
        else await run.lease()
      }
    },

    async adopt(read) {
      for (;;) {
        const found = await read()
        const saved = found?.accessToken === spent ? undefined : found
        const run = held
        if (!run || (saved && saved.accessToken !== run.expired?.accessToken)) return saved
        if (await stillHeld(run.lease)) return saved
        // The lost lease's release frees nothing of the new holder's.
        await run.lease()
        run.lease = await run.retake()
      }
    },

    async persist(session) {
      const run = held
      if (session && run) return saveRenewal(run, session)
      const taken = await takeOver()
      try {
        if (session) await saveSession(store, key, session)
        else await removeSession(store, key)
        spent = undefined
      } finally {
        await taken?.lease()
      }
    },
  }
}

/**
 * Whether a lease is still held, asked right before a renewal sends the refresh token. A lock
 * that cannot tell ({@link LockRelease} without `stillHeld`) counts as held unless its `signal`
 * said otherwise.
 */
async function stillHeld(lease: LockRelease): Promise<boolean> {
  if (lease.stillHeld) return lease.stillHeld()
  return !lease.signal?.aborted
}
