import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SfAuthError } from '@sfauth/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fileLock } from '../src/node/file-lock.js'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sfauth-file-lock-'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('fileLock in one process', () => {
  it('excludes a second acquire until the first releases, then hands over', async () => {
    const lock = fileLock({ dir: join(root, 'locks') })
    const release = await lock.acquire('session', 5_000)
    let second = false
    const waiting = lock.acquire('session', 5_000, { waitMs: 10_000 }).then((r) => {
      second = true
      return r
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(second).toBe(false)
    await release()
    const releaseSecond = await waiting
    expect(second).toBe(true)
    await releaseSecond()
  })

  it('keeps different names apart', async () => {
    const lock = fileLock({ dir: root })
    const a = await lock.acquire('a', 5_000)
    const b = await lock.acquire('b', 5_000, { waitMs: 1_000 })
    await a()
    await b()
  })

  it('rejects with ERR_LOCK_TIMEOUT after waitMs while another holds the name', async () => {
    const lock = fileLock({ dir: root })
    const release = await lock.acquire('session', 5_000)
    const err = await lock.acquire('session', 5_000, { waitMs: 300 }).catch((e) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err.errorCode).toBe('ERR_LOCK_TIMEOUT')
    expect(err.message).toContain(root)
    await release()
  })

  it("honours the caller's AbortSignal with ERR_LOCK_ABORTED", async () => {
    const lock = fileLock({ dir: root })
    const release = await lock.acquire('session', 5_000)
    const err = await lock
      .acquire('session', 5_000, { waitMs: 60_000, signal: AbortSignal.timeout(200) })
      .catch((e) => e)
    expect(err.errorCode).toBe('ERR_LOCK_ABORTED')
    await release()
  })

  it('has a release that can be called twice and does not free a later holder', async () => {
    const lock = fileLock({ dir: root })
    const release = await lock.acquire('session', 5_000)
    await release()
    const next = await lock.acquire('session', 5_000, { waitMs: 1_000 })
    await release()
    // The second holder still holds: release() of the first did nothing the second time.
    const err = await lock.acquire('session', 5_000, { waitMs: 200 }).catch((e) => e)
    expect(err.errorCode).toBe('ERR_LOCK_TIMEOUT')
    await next()
  })

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
