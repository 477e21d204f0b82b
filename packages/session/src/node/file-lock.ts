// Node only: its own entry ('@sfauth/session/file-lock'), so edge and browser bundles of
// '@sfauth/session' never reach node:fs.
import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import lockfile from 'proper-lockfile'
import { type LockAcquireOptions, lockError, type SessionLock, waitForLock } from '../lock.js'

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
  let made: Promise<unknown> | undefined

  return {
    async acquire(name: string, ttlMs: number, acquireOptions: LockAcquireOptions = {}) {
      made ??= mkdir(dir, { recursive: true }).catch((err: unknown) => {
        made = undefined
        throw unavailable(backend, err)
      })
      await made
      const file = resolve(dir, fileNameFor(name))
      const stale = Math.max(Math.round(ttlMs), MIN_STALE_MS)
      // Refresh often enough that a live holder never looks stale to a busy machine, and
      // rarely enough not to cost much: a quarter of the lease, within proper-lockfile's bounds.
      const update = Math.max(MIN_UPDATE_MS, Math.min(Math.round(stale / 4), stale / 2))
      let compromised = false

      const release = await waitForLock<() => Promise<void>>(
        async () => {
          try {
            return await lockfile.lock(file, {
              stale,
              update,
              retries: 0,
              realpath: false,
              lockfilePath: `${file}.lock`,
              // The default throws from a timer (crashing the process) when the lock is taken
              // over; a holder that lost its lease just stops refreshing.
              onCompromised: () => {
                compromised = true
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

      let released: Promise<void> | undefined
      return () => {
        released ??= compromised
          ? Promise.resolve()
          : release().catch(() => {
              // Already released or taken over after the lease: nothing left to give back.
            })
        return released
      }
    },
  }
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
