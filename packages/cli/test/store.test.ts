import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore } from '../src/store.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sfauth-cli-store-'))
  process.env.SFAUTH_CONFIG_DIR = dir
})
afterEach(() => {
  delete process.env.SFAUTH_CONFIG_DIR
  rmSync(dir, { recursive: true, force: true })
})

describe('the CLI store', () => {
  it('never shows a reader a half-written session: every read is the old value or the new one, whole', async () => {
    const store = await openStore()
    // A session about the size of a real one with a long token, so a write takes a few syscalls.
    const value = (n: number) => ({ v: 1, n, accessToken: `00D!${'x'.repeat(64 * 1024)}` })
    await store.storage.setItem('sessions:dev', value(0))
    const seen: unknown[] = []
    let writing = true
    const writer = (async () => {
      for (let n = 1; n <= 150; n++) await store.storage.setItem('sessions:dev', value(n))
      writing = false
    })()
    while (writing) {
      const read = (await store.storage.getItem('sessions:dev')) as { n?: unknown } | null
      if (typeof read?.n !== 'number') seen.push(read)
    }
    await writer
    expect(seen).toEqual([])
    // Nothing is left beside the store's keys.
    expect(await store.storage.getKeys('sessions')).toEqual(['sessions:dev'])
    expect(readdirSync(join(dir, '.tmp'))).toEqual([])
  })
})
