// Node only: its own entry ('@sfauth/session/file-lock'), so edge and browser bundles of
// '@sfauth/session' never reach node:fs.
import { createHash } from 'node:crypto'
import fs, { type Stats } from 'node:fs'
import { resolve } from 'node:path'
import lockfile from 'proper-lockfile'
import {
  type LockAcquireOptions,
  type LockRelease,
  lockError,
  type SessionLock,
  waitForLock,
} from '../lock.js'

/** Options for {@link fileLock}. */
export interface FileLockOptions {
  /** The directory that holds the lock files (created when missing). Every process must use the same one. */
  dir: string
  /** The default wait bound for `acquire` in ms. Default 30 000. */
  waitMs?: number
}

// proper-lockfile's own floors: a lock is stale no sooner than 2 s after its last refresh,
// and a live holder refreshes it at least every second.
const MIN_STALE_MS = 2_000
const MIN_UPDATE_MS = 1_000
/**
 * How far ahead of this machine's clock a lock's mtime may be and still count as written now.
 * proper-lockfile itself stamps a new lock up to a second ahead (it rounds up to probe the
 * filesystem's precision).
 */
const FUTURE_TOLERANCE_MS = 2_000

/**
 * A {@link SessionLock} on lock files in one directory: for processes on one machine (several
 * CLI runs, cluster workers, containers sharing a volume). Built on proper-lockfile, the lock
 * Salesforce CLI takes on its auth files: a lock is a directory created atomically with
 * `mkdir`; its holder refreshes its mtime while alive; a lock not refreshed for `ttlMs`
 * (a holder killed with `kill -9`, a machine that slept) is stale and the next process takes it.
 *
 * `ttlMs` below 2 000 counts as 2 000 (proper-lockfile's floor). Each name gets its own file,
 * named from the name with anything but letters, digits, `_` and `-` replaced and a hash
 * appended, so no name can point outside `dir`. Locking needs a local filesystem: NFS and
 * other network filesystems may not make `mkdir` atomic.
 *
 * @param options `dir`, and optionally `waitMs`.
 * @returns a `SessionLock` whose `acquire` rejects with `ERR_LOCK_TIMEOUT` past the wait
 *   bound, `ERR_LOCK_UNAVAILABLE` when `dir` cannot be created or written, `ERR_LOCK_ABORTED`
 *   on the caller's signal.
 * @throws {SfAuthError} `ERR_LOCK_UNAVAILABLE` (synchronously) when `dir` is empty.
 * @see https://github.com/moxystudio/node-proper-lockfile
 * @see https://github.com/forcedotcom/sfdx-core/blob/main/src/util/fileLocking.ts
 * @example
 * ```ts
 * import { fileLock } from '@sfauth/session/file-lock'
 * const lock = fileLock({ dir: '.sfauth/locks' })
 * const release = await lock.acquire('sfauth:session', 30_000, { waitMs: 10_000 })
 * try {
 *   // re-read the store; renew only if nobody else did; save
 * } finally {
 *   await release()
 * }
 * ```
 */
export function fileLock(options: FileLockOptions): SessionLock {
  if (!options?.dir) {
    throw lockError('ERR_LOCK_UNAVAILABLE', 'fileLock needs a `dir` for its lock files.')
  }
  const dir = resolve(options.dir)
  const defaultWaitMs = options.waitMs ?? 30_000
  const backend = `the lock directory ${dir}`
  const lockFs = clockSafeFs()
  let made: Promise<unknown> | undefined

  return {
    async acquire(name: string, ttlMs: number, acquireOptions: LockAcquireOptions = {}) {
      made ??= fs.promises.mkdir(dir, { recursive: true }).catch((err: unknown) => {
        made = undefined
        throw unavailable(backend, err)
      })
      await made
      const file = resolve(dir, fileNameFor(name))
      const stale = Math.max(Math.round(ttlMs), MIN_STALE_MS)
      // Refresh often enough that a live holder never looks stale to a busy machine, and
      // rarely enough not to cost much: a quarter of the lease, within proper-lockfile's bounds.
      const update = Math.max(MIN_UPDATE_MS, Math.min(Math.round(stale / 4), stale / 2))
      const lockPath = `${file}.lock`
      const lost = new AbortController()

      const release = await waitForLock<() => Promise<void>>(
        async () => {
          try {
            return await lockfile.lock(file, {
              stale,
              update,
              retries: 0,
              realpath: false,
              lockfilePath: lockPath,
              fs: lockFs,
              // The default throws from a timer (crashing the process) when the lock is taken
              // over; a holder that lost its lease stops refreshing and says so on its signal.
              onCompromised: () => {
                lost.abort(
                  lockError(
                    'ERR_LOCK_UNAVAILABLE',
                    `The lock "${name}" on ${backend} was lost: its lock directory was removed or taken over after the lease ran out.`,
                  ),
                )
              },
            })
          } catch (err) {
            if ((err as { code?: string }).code === 'ELOCKED') return undefined
            throw unavailable(backend, err)
          }
        },
        {
          name,
          backend,
          waitMs: acquireOptions.waitMs ?? defaultWaitMs,
          signal: acquireOptions.signal,
          discard: (late) => late().catch(() => {}),
        },
      )

      // Which lock directory is this holder's: whoever takes the lock over after the lease makes
      // a new one (its inode number may be reused, its birth time differs), and proper-lockfile
      // restamps ours on every refresh (the mtime of two fresh locks can be equal: it rounds).
      const ours = await fs.promises.stat(lockPath).catch(() => undefined)
      const identity = ours && identityOf(ours)
      if (ours && identity) {
        lockFs.stamped.set(lockPath, ours.mtime.getTime())
        lockFs.owners.set(lockPath, identity)
      }
      let released: Promise<void> | undefined
      const held = async () => {
        if (released || lost.signal.aborted) return false
        const st = await fs.promises.stat(lockPath).catch(() => undefined)
        return (
          st !== undefined &&
          identityOf(st) === identity &&
          st.mtime.getTime() === lockFs.stamped.get(lockPath)
        )
      }
      const give: LockRelease = () => {
        // proper-lockfile's release removes the lock directory whoever made it: once the lock
        // was taken over, that would free the next holder's lock.
        released ??= held().then(async (mine) => {
          if (lockFs.owners.get(lockPath) === identity) lockFs.owners.delete(lockPath)
          if (!mine) return
          await release().catch(() => {
            // Already released or taken over after the lease: nothing left to give back.
          })
        })
        return released
      }
      return Object.assign(give, { signal: lost.signal, stillHeld: held })
    },
  }
}

/** A lock directory's identity: its inode number and birth time (0 where the filesystem has none). */
function identityOf(st: Stats): string {
  return `${st.dev}:${st.ino}:${st.birthtimeMs}`
}

/**
 * The node:fs proper-lockfile works with, plus, for each lock path, the identity of the lock
 * directory this process last acquired there and the mtime it last stamped on it.
 */
type LockFs = typeof fs & { stamped: Map<string, number>; owners: Map<string, string> }

/**
 * The file system proper-lockfile is given (its `fs` option): node:fs, except that a lock
 * directory whose mtime lies in the future (a holder whose clock ran ahead, then died) counts as
 * written when this process first saw that mtime. proper-lockfile calls a lock stale once its
 * mtime is older than the lease, so such a lock would otherwise block every process until the
 * skew has passed; this way it is stale one lease after it was first seen unchanged, and a live
 * holder (which keeps restamping it) is never taken over.
 *
 * And a holder never restamps a lock directory it did not make: proper-lockfile tells its lock
 * from another by the mtime alone, and two fresh locks can share one (it rounds a new lock's
 * mtime up to the second), so a holder whose lock was taken over could keep the next holder's
 * lock fresh forever. Such a refresh fails as if the directory were gone, which is how
 * proper-lockfile learns it lost the lock (`onCompromised`).
 */
function clockSafeFs(): LockFs {
  const firstSeen = new Map<string, { mtime: number; at: number }>()
  const stamped = new Map<string, number>()
  const owners = new Map<string, string>()
  const stat = ((path: fs.PathLike, callback: (err: Error | null, st?: Stats) => void) =>
    fs.stat(path, (err, st) => {
      if (err) return callback(err)
      const key = String(path)
      const now = Date.now()
      const mtime = st.mtime.getTime()
      if (mtime <= now + FUTURE_TOLERANCE_MS) {
        firstSeen.delete(key)
        return callback(null, st)
      }
      let seen = firstSeen.get(key)
      if (seen?.mtime !== mtime) {
        seen = { mtime, at: now }
        firstSeen.set(key, seen)
      }
      st.mtime = new Date(seen.at)
      st.mtimeMs = seen.at
      callback(null, st)
    })) as typeof fs.stat
  const utimes = ((
    path: fs.PathLike,
    atime: fs.TimeLike,
    mtime: fs.TimeLike,
    callback: (err: Error | null) => void,
  ) => {
    const key = String(path)
    const owner = owners.get(key)
    const stampIt = () =>
      fs.utimes(path, atime, mtime, (err) => {
        if (!err && mtime instanceof Date) stamped.set(key, mtime.getTime())
        callback(err)
      })
    if (owner === undefined) return stampIt()
    fs.stat(path, (err, st) => {
      if (!err && identityOf(st) === owner) return stampIt()
      callback(
        err ?? Object.assign(new Error(`${key} is another holder's lock now`), { code: 'ENOENT' }),
      )
    })
  }) as typeof fs.utimes
  return { ...fs, stat, utimes, stamped, owners }
}

function unavailable(backend: string, cause: unknown) {
  const code = (cause as { code?: string } | undefined)?.code
  return lockError(
    'ERR_LOCK_UNAVAILABLE',
    `Could not use ${backend}${code ? ` (${code})` : ''}: check that it exists or can be created, is writable by this process, and is on a local filesystem.`,
    cause,
  )
}

/** A file name for a lock name: safe characters only (no `/`, `\`, `.`), plus a hash so names that differ stay apart. */
function fileNameFor(name: string): string {
  const safe = String(name)
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .slice(0, 80)
  const hash = createHash('sha256').update(String(name)).digest('hex').slice(0, 16)
  return `${safe}-${hash}`
}
