import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SfAuthError } from '@sfauth/core'
import { testLock } from '@sfauth/test-kit/lock'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fileLock } from '../src/node/file-lock.js'

// The lock contract (exclusion, bounded wait, abort, idempotent release; 8 real processes, kill -9
// of the holder) on fileLock; the processes run the built '@sfauth/session/file-lock'
// (`pnpm test` builds first).
testLock({
  name: 'fileLock',
  make: (dir) => fileLock({ dir: join(dir, 'locks') }),
  timeoutMentions: (dir) => [join(dir, 'locks')],
  worker: {
    factory: fileURLToPath(new URL('./fleet/file-lock-factory.mjs', import.meta.url)),
    config: (dir) => ({ lockDir: join(dir, 'locks') }),
  },
  // What a stale takeover does to the lock directory of a holder that stalled past its lease.
  forgetLocks: async (dir) => {
    for (const name of readdirSync(join(dir, 'locks'))) {
      rmSync(join(dir, 'locks', name), { recursive: true, force: true })
    }
  },
})

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sfauth-file-lock-'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('fileLock: what is special about files', () => {
  it('keeps every lock file inside dir, whatever the name', async () => {
    const dir = join(root, 'locks')
    const lock = fileLock({ dir })
    const names = ['../../escape', '/etc/passwd', 'a/b\\c', '..', '.', 'sfauth:session', '']
    for (const name of names) await (await lock.acquire(name, 5_000))()
    const held = await Promise.all(names.map((name) => lock.acquire(name, 5_000)))
    const files = readdirSync(dir)
    expect(files).toHaveLength(names.length)
    for (const file of files) expect(file).toMatch(/^[A-Za-z0-9_-]+\.lock$/)
    expect(readdirSync(root)).toEqual(['locks'])
    for (const release of held) await release()
  })

  it("takes over a dead holder's lock directory whose mtime is an hour ahead (its clock ran ahead) one lease after first seeing it, not after the hour", async () => {
    const dir = join(root, 'locks')
    const lock = fileLock({ dir })
    // The lock directory of the name, as a holder leaves it when it dies.
    const probe = await lock.acquire('session', 2_000)
    const [name] = readdirSync(dir)
    await probe()
    const ahead = new Date(Date.now() + 3_600_000)
    mkdirSync(join(dir, name as string))
    utimesSync(join(dir, name as string), ahead, ahead)

    const release = await fileLock({ dir }).acquire('session', 2_000, { waitMs: 15_000 })
    expect(await release.stillHeld?.()).toBe(true)
    await release()
  })

  it('rejects with ERR_LOCK_UNAVAILABLE, saying what to check, when dir cannot be used', async () => {
    const notADir = join(root, 'file')
    writeFileSync(notADir, '')
    const err = await fileLock({ dir: join(notADir, 'locks') })
      .acquire('session', 5_000)
      .catch((e) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err.errorCode).toBe('ERR_LOCK_UNAVAILABLE')
    expect(err.message).toContain('writable')
  })
})
