import { SfAuthError, safeCause, scrub } from '@sfauth/core/flow'

// This package's own error codes, added to core's registry (no edit of core needed).
declare module '@sfauth/core/flow' {
  interface SfAuthErrorCodes {
    /** `@sfauth/session`: the session lock could not be had within its wait bound. */
    ERR_LOCK_TIMEOUT: true
    /** `@sfauth/session`: the lock's backend (lock directory, Redis) is unusable or does not answer. */
    ERR_LOCK_UNAVAILABLE: true
    /** `@sfauth/session`: the caller's AbortSignal ended the wait for the lock. */
    ERR_LOCK_ABORTED: true
  }
}

/**
 * How long and how politely {@link SessionLock.acquire} may wait.
 * Both are additive to the contract's `acquire(name, ttlMs)`: a lock that ignores them is
 * still a `SessionLock`.
 */
export interface LockAcquireOptions {
  /** Stops waiting: `acquire` rejects with `ERR_LOCK_ABORTED` and takes nothing. */
  signal?: AbortSignal
  /** The longest wait for a lock someone else holds, in ms (the lock's own default otherwise). */
  waitMs?: number
}

/**
 * What {@link SessionLock.acquire} resolves to: the function that gives the lock back, with, on
 * locks that can tell, a way to learn whether the lease is still the caller's. A plain
 * `() => Promise<void>` is one too (both members are optional).
 *
 * A lease can be lost while its holder lives: Redis restarted without persistence, a lock
 * directory removed or taken over after the holder's process stalled past the lease. Another
 * process may then hold the lock too. A holder about to do what the lock guards (send a refresh
 * token) asks {@link LockRelease.stillHeld} first.
 *
 * @example
 * ```ts
 * const release = await lock.acquire('sfauth:session', 30_000)
 * try {
 *   if ((await release.stillHeld?.()) === false) throw new Error('lost the lock: re-read instead')
 * } finally {
 *   await release()
 * }
 * ```
 */
export interface LockRelease {
  /** Gives the lock back: idempotent, never rejects, never frees a later holder. */
  (): Promise<void>
  /**
   * Asks the backend now whether the lock is still this holder's (a lease is kept fresh by the
   * asking): `false` once it was lost or released, or when the backend cannot answer in time.
   * Never rejects.
   */
  stillHeld?(): Promise<boolean>
  /**
   * Aborts when the lock learns that the lease was lost (its periodic refresh found the lock
   * gone or someone else's); its `reason` says so. Not aborted by `release()`.
   */
  readonly signal?: AbortSignal
}

/**
 * A named mutual-exclusion lock shared by every process that renews one session
 * (`fileLock` from `@sfauth/session/file-lock` on one machine, `redisLock` from
 * `@sfauth/redis` for a fleet).
 *
 * `acquire` waits until the caller holds `name`. The hold is a lease of `ttlMs`: a live holder
 * keeps it fresh until it calls `release()`; a holder that dies loses it `ttlMs` after its
 * last refresh, and another process may then take it.
 *
 * It rejects with an `SfAuthError`:
 * - `ERR_LOCK_TIMEOUT`: someone else held `name` for longer than the wait bound;
 * - `ERR_LOCK_UNAVAILABLE`: the backend (the lock directory, Redis) cannot be reached or written;
 * - `ERR_LOCK_ABORTED`: the caller's `signal` fired.
 *
 * `release()` is idempotent and never rejects: a release that cannot reach the backend leaves
 * the lease to run out. The locks of this project also tell a holder whether it still holds the
 * lease ({@link LockRelease.stillHeld}, {@link LockRelease.signal}).
 *
 * @see https://github.com/forcedotcom/sfdx-core/blob/main/src/util/fileLocking.ts (the same
 *   lock-and-adopt Salesforce CLI does for its auth files)
 * @example
 * ```ts
 * const release = await lock.acquire('sfauth:session', 30_000, { waitMs: 10_000, signal })
 * try { ... } finally { await release() }
 * ```
 */
export interface SessionLock {
  /**
   * Waits until the caller holds `name`, for at most `ttlMs` once held; resolves to release().
   * @param name what to lock (any string; each backend maps it to a safe key or file name).
   * @param ttlMs the lease: how long the lock outlives a holder that stopped refreshing it.
   * @param options `signal` and `waitMs`, both optional.
   * @returns a `release()` that gives the lock back (idempotent), with `stillHeld()` and `signal`
   *   on locks that can tell whether the lease is still the caller's ({@link LockRelease}).
   * @throws {SfAuthError} `ERR_LOCK_TIMEOUT`, `ERR_LOCK_UNAVAILABLE` or `ERR_LOCK_ABORTED`.
   */
  acquire(name: string, ttlMs: number, options?: LockAcquireOptions): Promise<LockRelease>
}

/** The codes a {@link SessionLock} rejects with (an `SfAuthError`'s `errorCode`). */
export type SessionLockErrorCode = 'ERR_LOCK_TIMEOUT' | 'ERR_LOCK_UNAVAILABLE' | 'ERR_LOCK_ABORTED'

/** What {@link waitForLock} needs to know. */
export interface WaitForLockOptions<T> {
  /** The lock's name, for messages. */
  name: string
  /** Where the lock lives, for messages (`'the lock directory /tmp/x'`, `'Redis at 127.0.0.1:6379'`). */
  backend: string
  /** The wait bound in ms. */
  waitMs: number
  /** The caller's signal. */
  signal?: AbortSignal | undefined
  /** Gives back a hold that an attempt won after the caller stopped waiting. */
  discard?: (held: T) => unknown
  /** The first pause between attempts in ms (doubles up to `maxDelayMs`, with jitter). Default 20. */
  minDelayMs?: number
  /** The longest pause between attempts in ms. Default 250. */
  maxDelayMs?: number
}

/**
 * Builds the `SfAuthError` a {@link SessionLock} rejects with.
 * @param code one of {@link SessionLockErrorCode}.
 * @param message what happened and what to check (no secrets: lock names and hosts only).
 * @param cause the backend's own error, when there is one. Only its name, message and string
 *   `code` are kept, as a plain `Error`: a client library's error can carry the command it was
 *   sending (ioredis keeps `AUTH`'s password in `command.args`), which `util.inspect` would print.
 * @param secrets values to scrub from `message` and the cause's message and code (a password
 *   the backend's client was given).
 * @returns the error, to throw.
 * @throws never.
 * @see SessionLock
 * @example
 * ```ts
 * throw lockError('ERR_LOCK_UNAVAILABLE', 'Redis at 127.0.0.1:6379 did not answer: check it runs', err)
 * ```
 */
export function lockError(
  code: SessionLockErrorCode,
  message: string,
  cause?: unknown,
  secrets?: readonly (string | undefined)[],
): SfAuthError {
  const kept = safeCause(cause, secrets)
  // SfAuthErrorCode accepts any string next to the library's own codes, so no cast is needed.
  return new SfAuthError(scrub(message, secrets), {
    errorCode: code,
    ...(kept ? { cause: kept } : {}),
  })
}

/**
 * Calls `attempt` until it returns a hold (anything but `undefined`), pausing between tries,
 * within `waitMs` and the caller's `signal`. The building block of `fileLock` and `redisLock`,
 * for anyone writing a {@link SessionLock} on another backend.
 *
 * An attempt still running when the caller stops waiting is not abandoned silently: if it
 * later wins, its hold goes to `discard`.
 *
 * @param attempt one try at taking the lock: a hold, `undefined` when someone else holds it,
 *   or a rejection when the backend failed (passed through as it is).
 * @param options the name, backend, bound and signal.
 * @returns the hold `attempt` returned.
 * @throws {SfAuthError} `ERR_LOCK_TIMEOUT` after `waitMs`, `ERR_LOCK_ABORTED` when `signal` fires;
 *   whatever `attempt` rejects with.
 * @see SessionLock
 * @example
 * ```ts
 * const hold = await waitForLock(() => tryTake(name), { name, backend: 'my store', waitMs: 10_000 })
 * ```
 */
export async function waitForLock<T>(
  attempt: () => Promise<T | undefined>,
  options: WaitForLockOptions<T>,
): Promise<T> {
  const { name, backend, waitMs, signal } = options
  const deadline = Date.now() + waitMs
  let delay = options.minDelayMs ?? 20
  const maxDelay = options.maxDelayMs ?? 250
  // The caller's own abort reason is its cause, as it is (nothing of a backend's in it).
  const aborted = () =>
    new SfAuthError(
      `Stopped waiting for the lock "${name}" on ${backend}: the caller's signal was aborted.`,
      { errorCode: 'ERR_LOCK_ABORTED', cause: signal?.reason },
    )
  const timedOut = () =>
    lockError(
      'ERR_LOCK_TIMEOUT',
      `Could not take the lock "${name}" on ${backend} within ${waitMs} ms: another process holds it. ` +
        'Check for a process stuck while holding it (it loses the lock after its lease), or raise waitMs.',
    )

  for (;;) {
    if (signal?.aborted) throw aborted()
    if (Date.now() >= deadline) throw timedOut()
    const pending = attempt()
    const held = await raceSignal(pending, signal, deadline)
    if (held === ABORTED || held === LATE) {
      // The attempt may still win: give back what it takes.
      pending.then(
        (late) => {
          if (late !== undefined) options.discard?.(late)
        },
        () => {},
      )
      throw held === ABORTED ? aborted() : timedOut()
    }
    if (held !== undefined) return held
    const pause = Math.min(delay, deadline - Date.now())
    delay = Math.min(delay * 2, maxDelay)
    if (pause > 0 && (await sleep(pause * (0.5 + Math.random() / 2), signal)) === ABORTED) {
      throw aborted()
    }
  }
}

const ABORTED = Symbol('aborted')
const LATE = Symbol('late')

/** Resolves to the promise's value, or ABORTED when the signal fires, or LATE past the deadline. */
function raceSignal<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  deadline: number,
): Promise<T | typeof ABORTED | typeof LATE> {
  return new Promise((resolve, reject) => {
    const onAbort = () => finish(() => resolve(ABORTED))
    // An attempt that hangs (a backend that stopped answering) may not outlive the wait bound.
    const timer = setTimeout(() => finish(() => resolve(LATE)), Math.max(0, deadline - Date.now()))
    const finish = (settle: () => void) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      settle()
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => finish(() => resolve(value)),
      (err: unknown) => finish(() => reject(err)),
    )
  })
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<undefined | typeof ABORTED> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer)
      resolve(ABORTED)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(undefined)
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
