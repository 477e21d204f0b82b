import { readdir, readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'

const dist = new URL('../dist/', import.meta.url)
const read = (name: string) => readFile(new URL(name, dist), 'utf8')
const staticNodeImport = /(?:^|\n)\s*import[^(]*from\s*["']node:/

describe('built output (run after `pnpm build`)', () => {
  it('keeps node:http out of the main and msw entries; listen() loads it lazily', async () => {
    const index = await read('index.js')
    const msw = await read('msw.js')
    expect(index).not.toMatch(staticNodeImport)
    expect(msw).not.toMatch(staticNodeImport)
    const lazy = /import\("\.\/(server-[\w-]+\.js)"\)/.exec(index)
    expect(lazy).not.toBeNull()
    expect(await read(lazy![1]!)).toMatch(/from "node:http"/)
  })

  it('ships no process.env and nothing but the two entries, their types and the server chunk', async () => {
    const files = await readdir(dist)
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      expect(await read(file)).not.toContain('process.env')
    }
    expect(files.filter((f) => f.endsWith('.js')).sort()).toEqual([
      'index.js',
      'msw.js',
      expect.stringMatching(/^server-[\w-]+\.js$/),
    ])
  })
})
