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
 * between renewals; its state is its own. Core calls {@link LockedRenewal.run} through
 * `Flow.coordinateRenewal`, and the flow's `restore` and `persist` go through
 * {@link LockedRenewal.adopt} and {@link LockedRenewal.persist}:
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
export class LockedRenewal {
  readonly #options: RenewalLockOptions
  readonly #store: SessionStore
  readonly #key: string
  /** The renewal running under the lock, if any. */
  #held: Held | undefined
  /** The lock kept after a failed save, if any. */
  #kept: Kept | undefined
  /**
   * The access token of the stale session the store still holds while the lock is kept: its
   * refresh token was rotated out by this process.
   */
  #spent: string | undefined

  constructor(options: RenewalLockOptions, store: SessionStore, key: string) {
    this.#options = options
    this.#store = store
    this.#key = key
  }

  /**
   * Runs the connection's adopt-or-renew `step` holding the lock (or the lock kept after a
   * failed save), then releases it, or keeps it when the renewal's save could not be made.
   * @throws {SfAuthError} `ERR_LOCK_*` when the lock cannot be had: the step does not run.
   */
  async run<T>(
    expired: Session | undefined,
    step: () => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const retake = () => this.#acquire(signal)
    const lease = (await this.#takeOver())?.lease ?? (await retake())
    const held: Held = { expired, lease, retake }
    this.#held = held
    try {
      // The step re-reads the store (adopt()), and adopts or renews and saves (awaited).
      return await step()
    } finally {
      this.#held = undefined
      if (held.unsaved) this.#keep(held.lease, held.unsaved)
      else await held.lease()
    }
  }

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
  async adopt(read: () => Promise<Session | undefined>): Promise<Session | undefined> {
    for (;;) {
      const found = await read()
      const saved = found?.accessToken === this.#spent ? undefined : found
      const held = this.#held
      if (!held || (saved && saved.accessToken !== held.expired?.accessToken)) return saved
      if (await stillHeld(held.lease)) return saved
      // The lost lease's release frees nothing of the new holder's.
      await held.lease()
      held.lease = await held.retake()
    }
  }

  /**
   * Saves a change of session. A renewal's, under the lock: up to {@link SAVE_ATTEMPTS} tries,
   * each read back; when the store will not take it and the renewal rotated the refresh token,
   * the lock is kept. Rejects with the store's error either way (core reports it on the
   * connection's `'error'`; the request goes on with the new token). Any other (a login, a
   * logout: `undefined`) replaces what a kept lock guarded, and releases it.
   */
  async persist(session: Session | undefined): Promise<void> {
    const held = this.#held
    if (session && held) return this.#saveRenewal(held, session)
    const kept = await this.#takeOver()
    try {
      if (session) await saveSession(this.#store, this.#key, session)
      else await removeSession(this.#store, this.#key)
      this.#spent = undefined
    } finally {
      await kept?.lease()
    }
  }

  async #saveRenewal(held: Held, session: Session): Promise<void> {
    const last = await confirmSave(this.#store, this.#key, session, SAVE_ATTEMPTS)
    if (last === true) {
      this.#spent = undefined
      return
    }
    const { expired } = held
    // With rotation off (or a flow without refresh tokens) nothing was spent: the others renew.
    const rotated = !!expired?.refreshToken && session.refreshToken !== expired.refreshToken
    if (rotated) {
      held.unsaved = session
      this.#spent ??= expired.accessToken
    }
    throw new SfAuthError(
      `Session store: could not save the renewed session "${this.#key}" (${last instanceof Error ? last.message : 'not kept'})${rotated ? '; the lock is kept until it is saved, so no process renews with the refresh token it replaced' : ''}.`,
      { errorCode: 'ERR_STORE', cause: last },
    )
  }

  async #acquire(signal: AbortSignal | undefined): Promise<LockRelease> {
    const { lock, ttlMs, waitMs } = this.#options
    try {
      return await lock.acquire(this.#key, ttlMs, { waitMs, ...(signal ? { signal } : {}) })
    } catch (err) {
      if (err instanceof SfAuthError) throw err
      throw lockError(
        'ERR_LOCK_UNAVAILABLE',
        `The session lock "${this.#key}" could not be taken, so the session was not renewed: ${err instanceof Error ? err.message : String(err)}`,
        err,
      )
    }
  }

  /**
   * Keeps the lock after a renewal whose save failed once it had rotated the refresh token (the
   * store still holds the one it replaced): tries the save again, pausing 250 ms doubling up to
   * {@link KEPT_PAUSE_MS}, never keeping the process alive, and releases once it lands; a later
   * renewal or save of this flow takes the lock over.
   */
  #keep(lease: LockRelease, session: Session): void {
    const kept: Kept = { lease }
    this.#kept = kept
    void (async () => {
      for (let ms = 250; ; ms = Math.min(ms * 2, KEPT_PAUSE_MS)) {
        await pause(ms, true)
        if (kept.stopped) return
        kept.attempt = confirmSave(this.#store, this.#key, session, 1)
        if ((await kept.attempt) === true && !kept.stopped) {
          this.#kept = this.#spent = undefined
          return lease()
        }
      }
    })()
  }

  /** Stops the tries of a kept lock (waiting for the one under way) and hands the lock over. */
  async #takeOver(): Promise<Kept | undefined> {
    const kept = this.#kept
    this.#kept = undefined
    if (kept) {
      kept.stopped = true
      await kept.attempt
    }
    return kept
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
