import { DurableObject, waitUntil } from 'cloudflare:workers'
import {
  type LockAcquireOptions,
  type LockRelease,
  lockError,
  type SessionLock,
  type SessionStore,
  type StoredSession,
  waitForLock,
} from '@sfauth/session'

/** The saved lease of a lock: who holds it and until when (epoch ms, the object's clock). */
interface Lease {
  holder: string
  until: number
}

/** The longest an `acquire` call waits inside the object before answering "not yet". */
const PARK_MS = 1_000

const SESSION = 'session:'
const LOCK = 'lock:'

/**
 * The Durable Object behind {@link durableSession}: one instance per session key serves both the
 * saved session and the renewal lock of that key, over Workers RPC. Export it from the Worker's
 * main module and bind it in the wrangler config; call it only through `durableSession()`.
 *
 * Everything lives in the object's transactional storage, not only in memory, so the session and
 * a held lease survive the object being evicted or restarted. A call never answers before its
 * write is confirmed (`put` is awaited, and the output gate holds the reply until then), so a
 * renewal's save is durable before the renewing Worker releases the lock.
 *
 * The lock is a lease: `acquire` stores `{ holder, until }`; the holder extends it while it
 * works and deletes it on release; a holder that stops extending (its Worker died) loses it when
 * `until` passes. Each read-check-write runs on storage calls only, which the input gate keeps
 * from interleaving with other calls into the object.
 *
 * @see https://developers.cloudflare.com/durable-objects/api/storage-api/
 * @see https://developers.cloudflare.com/durable-objects/best-practices/rules-of-durable-objects/
 * @example
 * ```ts
 * // worker.ts (wrangler: durable_objects.bindings [{ name: "SFAUTH_SESSIONS", class_name: "SfAuthSessions" }])
 * export { SfAuthSessions } from '@sfauth/cloudflare'
 * ```
 */
export class SfAuthSessions extends DurableObject {
  /**
   * The leases as stored, read once per name: every check-and-take runs on this map without an
   * `await` in between, because calls already inside the object (woken waiters, calls that
   * were awaiting storage) interleave at each await; the input gate only holds back new ones.
   */
  #leases = new Map<string, Lease | null>()
  /** Callers parked in {@link SfAuthSessions.acquire}, woken when a lock is released. */
  #parked = new Map<string, Set<() => void>>()

  /** The saved session under `key`, or `null`. */
  async getItem(key: string): Promise<unknown> {
    return (await this.ctx.storage.get(SESSION + key)) ?? null
  }

  /** Saves the session under `key`; resolves once the write is confirmed. */
  async setItem(key: string, value: StoredSession): Promise<void> {
    await this.ctx.storage.put(SESSION + key, value)
  }

  /** Deletes the session under `key`. */
  async removeItem(key: string): Promise<void> {
    await this.ctx.storage.delete(SESSION + key)
  }

  /**
   * Gives `holder` the lock `name` for `ttlMs` if nobody else holds a live lease, waiting up to
   * `waitMs` (at most one second per call) for a release or the end of the lease.
   * @returns whether `holder` now holds the lock.
   */
  async acquire(name: string, holder: string, ttlMs: number, waitMs: number): Promise<boolean> {
    const deadline = Date.now() + Math.min(Math.max(waitMs, 0), PARK_MS)
    await this.#load(name)
    for (;;) {
      // From here to the write, no await: the check and the take are one step.
      const lease = this.#leases.get(name)
      const now = Date.now()
      // The same holder again: an earlier call took the lock but its answer was lost.
      if (!lease || lease.until <= now || lease.holder === holder) {
        await this.#write(name, { holder, until: now + ttlMs })
        return true
      }
      if (deadline <= now) return false
      await this.#park(name, Math.min(deadline, lease.until) - now)
    }
  }

  /** Extends `holder`'s lease on `name` to `ttlMs` from now. @returns false when it was lost. */
  async extend(name: string, holder: string, ttlMs: number): Promise<boolean> {
    await this.#load(name)
    const lease = this.#leases.get(name)
    if (lease?.holder !== holder || lease.until <= Date.now()) return false
    await this.#write(name, { holder, until: Date.now() + ttlMs })
    return true
  }

  /** Gives back `holder`'s lock on `name`; a lease someone else holds now is left alone. */
  async release(name: string, holder: string): Promise<void> {
    await this.#load(name)
    if (this.#leases.get(name)?.holder !== holder) return
    const parked = this.#parked.get(name)
    this.#parked.delete(name)
    await this.#write(name, null)
    for (const wake of parked ?? []) wake()
  }

  /** Reads the stored lease of `name` into memory, once per instance of the object. */
  async #load(name: string): Promise<void> {
    if (this.#leases.has(name)) return
    const stored = (await this.ctx.storage.get<Lease>(LOCK + name)) ?? null
    // Another call may have loaded or changed it meanwhile: memory is the newer.
    if (!this.#leases.has(name)) this.#leases.set(name, stored)
  }

  /** Sets the lease in memory now, and in storage before the caller's answer goes out. */
  async #write(name: string, lease: Lease | null): Promise<void> {
    this.#leases.set(name, lease)
    if (lease) await this.ctx.storage.put<Lease>(LOCK + name, lease)
    else await this.ctx.storage.delete(LOCK + name)
  }

  #park(name: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.#parked.get(name) ?? new Set<() => void>()
      this.#parked.set(name, set)
      const wake = () => {
        clearTimeout(timer)
        set.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, Math.max(ms, 1))
      set.add(wake)
    })
  }
}

/** The RPC methods of {@link SfAuthSessions} as a stub offers them. */
export interface SfAuthSessionsStub {
  /** {@link SfAuthSessions.getItem} */
  getItem(key: string): Promise<unknown>
  /** {@link SfAuthSessions.setItem} */
  setItem(key: string, value: StoredSession): Promise<void>
  /** {@link SfAuthSessions.removeItem} */
  removeItem(key: string): Promise<void>
  /** {@link SfAuthSessions.acquire} */
  acquire(name: string, holder: string, ttlMs: number, waitMs: number): Promise<boolean>
  /** {@link SfAuthSessions.extend} */
  extend(name: string, holder: string, ttlMs: number): Promise<boolean>
  /** {@link SfAuthSessions.release} */
  release(name: string, holder: string): Promise<void>
}

/**
 * The Durable Object namespace binding of {@link SfAuthSessions} (`env.SFAUTH_SESSIONS`): the
 * part of workerd's `DurableObjectNamespace<SfAuthSessions>` this package calls.
 */
export interface SfAuthSessionsNamespace {
  /** The id of the object named `name` (one per session key). */
  idFromName(name: string): unknown
  /** A stub of the object with that id. */
  get(id: never): SfAuthSessionsStub
}

/** Options of {@link durableSession}. */
export interface DurableSessionOptions {
  /** The default wait bound of the lock's `acquire` in ms. Default 30 000. */
  waitMs?: number
}

/** What {@link durableSession} returns: spread it into `session({ ... })`. */
export interface DurableSession {
  /** The session store: each key is kept in the object named after it. */
  store: SessionStore
  /** The renewal lock: each name is held in the object named after it. */
  lock: SessionLock
}

/** `promise`'s value, or `undefined` when it has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([
    promise,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

/** How often a call that hit a reset object is tried in all (a fresh stub each time). */
const ATTEMPTS = 3

/**
 * An RPC error after which a call may be sent again: workerd marks a transient failure
 * `retryable`, and an object that was reset (evicted, redeployed, `ctx.abort()`)
 * `durableObjectReset`. Every call of the object is idempotent, so sending it again is safe; an
 * `overloaded` object is not asked again.
 * @see https://developers.cloudflare.com/durable-objects/best-practices/error-handling/
 */
function retryable(err: unknown): boolean {
  const e = err as { retryable?: unknown; durableObjectReset?: unknown; overloaded?: unknown }
  return (
    typeof e === 'object' &&
    e !== null &&
    e.overloaded !== true &&
    (e.retryable === true || e.durableObjectReset === true)
  )
}

/**
 * Turns the binding of {@link SfAuthSessions} into the `store` and `lock` of `session()`, so a
 * fleet of Worker isolates renews one shared Salesforce session once per expiry: the isolate
 * holding the lock re-reads the session and adopts a newer one, or renews and saves it; the
 * others wait and adopt what it saved. The store is strongly consistent (unlike KV, which can
 * hand another isolate the refresh token just rotated out), and both halves of one key go to the
 * same object.
 *
 * The lock's lease is extended every third of `ttlMs` while its holder works; a Worker that dies
 * holding it (its request cancelled) stops extending, and the next holder gets it once the lease
 * runs out. Calls that meet an object being reset are retried on a fresh stub. A holder that
 * stalled past its lease (a Worker paused longer than `ttlMs`, the object unreachable) may find
 * it taken: the release's `stillHeld()` asks the object whether the lease is still this
 * holder's and unexpired (extending it when it is), which `session()` does right before it sends
 * the refresh token, and its `signal` aborts as soon as an extension finds the lease gone.
 *
 * @param namespace the Durable Object namespace bound to {@link SfAuthSessions}.
 * @param options `waitMs`, the lock's default wait bound.
 * @returns `{ store, lock }`. The lock's `acquire` rejects with `ERR_LOCK_TIMEOUT` past the wait
 *   bound, `ERR_LOCK_ABORTED` on the caller's signal, `ERR_LOCK_UNAVAILABLE` when the object
 *   cannot be reached; `release()` is idempotent, never rejects and never frees a later holder;
 *   `release.stillHeld()` never rejects (`false` when the object does not answer within a third
 *   of the lease); `release.signal` aborts with an `ERR_LOCK_UNAVAILABLE` reason when the lease
 *   was lost.
 * @throws {TypeError} when `namespace` is not a Durable Object namespace.
 * @see https://developers.cloudflare.com/durable-objects/
 * @example
 * ```ts
 * import { Connection } from '@sfauth/core'
 * import { OAuth2 } from '@sfauth/oauth2'
 * import { session } from '@sfauth/session'
 * import { durableSession } from '@sfauth/cloudflare'
 * export { SfAuthSessions } from '@sfauth/cloudflare'
 *
 * const conn = new Connection({
 *   oauth2: new OAuth2({ clientId: env.SF_CLIENT_ID, loginUrl: env.SF_LOGIN_URL }),
 *   flows: [session({ ...durableSession(env.SFAUTH_SESSIONS), key: 'sfauth:integration-user' })],
 * })
 * ```
 */
export function durableSession(
  namespace: SfAuthSessionsNamespace,
  options: DurableSessionOptions = {},
): DurableSession {
  if (
    typeof namespace !== 'object' ||
    namespace === null ||
    typeof namespace.idFromName !== 'function' ||
    typeof namespace.get !== 'function'
  ) {
    throw new TypeError(
      'durableSession(namespace): pass the Durable Object namespace bound to SfAuthSessions, e.g. env.SFAUTH_SESSIONS',
    )
  }
  const defaultWaitMs = options.waitMs ?? 30_000

  /** Calls the object named `name`, on a fresh stub after a reset. */
  async function call<T>(name: string, rpc: (stub: SfAuthSessionsStub) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await rpc(namespace.get(namespace.idFromName(name) as never))
      } catch (err) {
        if (attempt >= ATTEMPTS || !retryable(err)) throw err
      }
    }
  }

  const store: SessionStore = {
    getItem: (key) => call(key, (stub) => stub.getItem(key)),
    setItem: (key, value) => call(key, (stub) => stub.setItem(key, value)),
    removeItem: (key) => call(key, (stub) => stub.removeItem(key)),
  }

  const lock: SessionLock = {
    async acquire(name: string, ttlMs: number, acquireOptions: LockAcquireOptions = {}) {
      const lease = Math.max(Math.round(ttlMs), 1)
      const waitMs = acquireOptions.waitMs ?? defaultWaitMs
      const holder = crypto.randomUUID()
      const backend = `the Durable Object "${name}"`
      const deadline = Date.now() + waitMs
      let released: Promise<void> | undefined
      let timer: ReturnType<typeof setInterval> | undefined
      let done: (() => void) | undefined
      const giveBack = () => {
        clearInterval(timer)
        released ??= call(name, (stub) => stub.release(name, holder)).then(
          () => done?.(),
          () => {
            // The object cannot be reached: the lease runs out on its own.
            done?.()
          },
        )
        return released
      }

      await waitForLock<true>(
        async () => {
          try {
            const won = await call(name, (stub) =>
              stub.acquire(name, holder, lease, deadline - Date.now()),
            )
            return won ? true : undefined
          } catch (err) {
            throw lockError(
              'ERR_LOCK_UNAVAILABLE',
              `Could not take the lock "${name}": ${backend} did not answer (${err instanceof Error ? err.message : String(err)}). Check the Durable Object binding and its class export.`,
              err,
            )
          }
        },
        {
          name,
          backend,
          waitMs,
          signal: acquireOptions.signal,
          discard: () => giveBack(),
        },
      )

      // A Worker's timers stop with the request that set them, which may answer before the lock
      // is released (session() keeps it after a save that failed, and tries again in the
      // background): the request lives on until release(), within the platform's waitUntil limit.
      try {
        waitUntil(
          new Promise<void>((resolve) => {
            done = resolve
          }),
        )
      } catch {
        // Outside a request (a test, a script): nothing to keep alive.
      }

      const lost = new AbortController()
      /**
       * Asks the object to extend the lease if it is still this holder's and has not run out.
       * `undefined`: no answer within a third of the lease (an object being reset, a slow
       * network), which says nothing about the lease; the next extension asks again, and once
       * the lease has run out meanwhile the object answers that it is gone.
       */
      const extend = async (): Promise<boolean | undefined> => {
        let kept: boolean | undefined
        try {
          kept = await within(
            call(name, (stub) => stub.extend(name, holder, lease)),
            Math.max(Math.round(lease / 3), 1),
          )
        } catch {
          return undefined
        }
        if (kept === false && !released && !lost.signal.aborted) {
          clearInterval(timer)
          lost.abort(
            lockError(
              'ERR_LOCK_UNAVAILABLE',
              `The lock "${name}" on ${backend} was lost: its lease ran out before an extension reached the object (the Worker stalled), and another holder may have taken it.`,
            ),
          )
        }
        return kept
      }
      // Keep the lease while the holder works: a holder whose Worker dies stops extending it.
      // Each extension settles within a third of the lease, the interval: they do not pile up.
      timer = setInterval(extend, Math.max(Math.round(lease / 3), 1))
      return Object.assign(giveBack as LockRelease, {
        signal: lost.signal,
        stillHeld: async () => !released && !lost.signal.aborted && (await extend()) === true,
      })
    },
  }

  return { store, lock }
}
