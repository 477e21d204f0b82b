import {
  type LockAcquireOptions,
  type LockRelease,
  lockError,
  type SessionLock,
  waitForLock,
} from '@sfauth/session'
import type { Redis } from 'ioredis'
import { Mutex } from 'redis-semaphore'

/** Options for {@link redisLock}. */
export interface RedisLockOptions {
  /** Prefix of the lock keys (redis-semaphore adds its own `mutex:` in front). Default `'sfauth:lock:'`. */
  prefix?: string
  /** The default wait bound for `acquire` in ms. Default 30 000. */
  waitMs?: number
  /**
   * How long one Redis command may take before Redis counts as down, in ms. Default 2 000.
   * ioredis queues commands while it reconnects and, by default, reconnects forever: this is
   * what keeps a lock on a Redis that stopped from waiting forever.
   */
  commandTimeoutMs?: number
}

/**
 * A {@link SessionLock} on Redis, for a fleet (serverless instances, cluster workers, several
 * machines) whose processes share one Redis; keep the session itself in the same Redis with
 * unstorage's redis driver. Built on redis-semaphore's `Mutex`: `SET key id NX PX ttlMs` to
 * take the lock, a compare-and-expire script to keep it while held (every third of the lease),
 * a compare-and-delete script to give it back, so a holder whose lease ran out never deletes
 * the next holder's lock.
 *
 * One Redis node, not Redis Cluster or several independent masters (use redis-semaphore's
 * Redlock classes for those). The lock is only as safe as the Redis: a failover to a replica
 * that missed the `SET` can let two processes in.
 *
 * @param redis an ioredis client (`new Redis(url)`); it is used, never closed.
 * @param options `prefix`, `waitMs`, `commandTimeoutMs`.
 * @returns a `SessionLock` whose `acquire` rejects with `ERR_LOCK_TIMEOUT` past the wait
 *   bound, `ERR_LOCK_UNAVAILABLE` when Redis does not answer within `commandTimeoutMs` (or the
 *   client was closed), `ERR_LOCK_ABORTED` on the caller's signal. `release()` is idempotent
 *   and never rejects: a release that cannot reach Redis leaves the lease to expire.
 * @throws never (errors come from `acquire`).
 * @see https://github.com/swarthy/redis-semaphore
 * @see https://redis.io/docs/latest/develop/use/patterns/distributed-locks/
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createStorage } from 'unstorage'
 * import redisDriver from 'unstorage/drivers/redis'
 * import { redisLock } from '@sfauth/redis'
 *
 * const redis = new Redis(process.env.REDIS_URL)
 * // the session itself, on the same server:
 * const store = createStorage({ driver: redisDriver({ url: process.env.REDIS_URL }) })
 * const lock = redisLock(redis)
 * const release = await lock.acquire('sfauth:session', 30_000, { waitMs: 10_000 })
 * try {
 *   // re-read the store; renew only if nobody else did; save
 * } finally {
 *   await release()
 * }
 * ```
 */
export function redisLock(redis: Redis, options: RedisLockOptions = {}): SessionLock {
  const prefix = options.prefix ?? 'sfauth:lock:'
  const defaultWaitMs = options.waitMs ?? 30_000
  const commandTimeoutMs = options.commandTimeoutMs ?? 2_000
  const backend = describe(redis)
  const secrets = secretsOf(redis)

  return {
    async acquire(name: string, ttlMs: number, acquireOptions: LockAcquireOptions = {}) {
      const lease = Math.max(Math.round(ttlMs), 1)
      const key = `${prefix}${name}`
      const mutex = new Mutex(redis, key, {
        lockTimeout: lease,
        // One SET per attempt: the waiting, its bound and the signal are waitForLock's.
        acquireAttemptsLimit: 1,
        acquireTimeout: commandTimeoutMs,
        // The lease is kept fresh by held()'s timer, which survives a Redis blip and tells the
        // holder when the lease is lost (redis-semaphore's own rejects from a timer, and its
        // onLockLost only hears of a loss at the next refresh).
        refreshInterval: 0,
      })
      const giveBack = () =>
        withTimeout(mutex.release(), commandTimeoutMs).then(
          () => {},
          () => {
            // Redis is unreachable: the lease expires on its own after ttlMs.
          },
        )

      await waitForLock<true>(
        async () => {
          if (redis.status === 'end') {
            throw lockError(
              'ERR_LOCK_UNAVAILABLE',
              `Could not take the lock "${name}": the ioredis client for ${backend} was closed (quit() or disconnect()). Pass a connected client.`,
            )
          }
          const pending = mutex.tryAcquire()
          try {
            return (await withTimeout(pending, commandTimeoutMs)) ? true : undefined
          } catch (err) {
            // A SET queued while ioredis reconnects may still succeed later: give that back.
            pending.then(
              (won) => {
                if (won) void giveBack()
              },
              () => {},
            )
            throw unavailable(name, backend, redis, commandTimeoutMs, err, secrets)
          }
        },
        {
          name,
          backend,
          waitMs: acquireOptions.waitMs ?? defaultWaitMs,
          signal: acquireOptions.signal,
          discard: () => giveBack(),
        },
      )
      return held(
        redis,
        key,
        mutex.identifier,
        { lease, commandTimeoutMs, name, backend },
        giveBack,
      )
    },
  }
}

/**
 * One acquired lock: its lease kept fresh every third of the lease, `stillHeld()` and `signal`
 * telling the holder whether it is still its own, `release()` giving it back.
 */
function held(
  redis: Redis,
  key: string,
  identifier: string,
  o: { lease: number; commandTimeoutMs: number; name: string; backend: string },
  giveBack: () => Promise<void>,
): LockRelease {
  const lost = new AbortController()
  let released: Promise<void> | undefined
  // Extends the lease if the key still holds our identifier: redis-semaphore's documented way to
  // refresh a lock by its identifier (`acquiredExternally`), its compare-and-expire script.
  // `undefined`: Redis did not answer in time, which says nothing about the lease; the next
  // refresh tries again (if Redis stays away past the lease, the key expires and that refresh
  // reports the loss).
  const refresh = async (): Promise<boolean | undefined> => {
    const again = new Mutex(redis, key, {
      identifier,
      acquiredExternally: true,
      lockTimeout: o.lease,
      refreshInterval: 0,
    })
    let mine: boolean
    try {
      mine = await withTimeout(again.tryAcquire(), o.commandTimeoutMs)
    } catch {
      return undefined
    }
    if (!mine && !released && !lost.signal.aborted) {
      clearInterval(timer)
      lost.abort(
        lockError(
          'ERR_LOCK_UNAVAILABLE',
          `The lock "${o.name}" on ${o.backend} was lost while held: its key expired or was deleted (a Redis restart without persistence, a failover to a replica that missed it).`,
        ),
      )
    }
    return mine
  }
  let refreshing = false
  const timer = setInterval(
    () => {
      if (refreshing) return
      refreshing = true
      void refresh().finally(() => {
        refreshing = false
      })
    },
    Math.max(Math.round(o.lease / 3), 1),
  )
  // Never keeps a process alive on its own.
  ;(timer as { unref?(): void }).unref?.()
  const release: LockRelease = () => {
    clearInterval(timer)
    // A compare-and-delete: never the next holder's key.
    released ??= giveBack()
    return released
  }
  return Object.assign(release, {
    signal: lost.signal,
    stillHeld: async () => !released && !lost.signal.aborted && (await refresh()) === true,
  })
}

const TIMED_OUT = Symbol('timed out')

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(TIMED_OUT), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (err: unknown) => {
        clearTimeout(timer)
        reject(err)
      },
    )
  })
}

function unavailable(
  name: string,
  backend: string,
  redis: Redis,
  ms: number,
  cause: unknown,
  secrets: string[],
) {
  const why =
    cause === TIMED_OUT
      ? `did not answer within ${ms} ms (client status: ${redis.status})`
      : `failed: ${cause instanceof Error ? cause.message : String(cause)}`
  // lockError keeps only the name, message and code of ioredis's error: its `command` holds
  // the arguments of what failed, AUTH's password among them.
  return lockError(
    'ERR_LOCK_UNAVAILABLE',
    `Could not take the lock "${name}": ${backend} ${why}. Check that Redis is running and that this process can reach it.`,
    cause === TIMED_OUT ? undefined : cause,
    secrets,
  )
}

/** The credentials the client was given, to scrub from any message that quotes them. */
function secretsOf(redis: Redis): string[] {
  const o = (redis as { options?: { password?: unknown; sentinelPassword?: unknown } }).options
  return [o?.password, o?.sentinelPassword].filter((s): s is string => typeof s === 'string')
}

/** `Redis at host:port` (or the socket path), never the password or the URL it came from. */
function describe(redis: Redis): string {
  const o = (redis as { options?: { host?: string; port?: number; path?: string } }).options
  if (o?.path) return `Redis at ${o.path}`
  return `Redis at ${o?.host ?? 'localhost'}:${o?.port ?? 6379}`
}
