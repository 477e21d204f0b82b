import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The built files are what users' bundlers see; `pnpm test` builds before testing. Two entries
// (index.js for apps, flow.js for flow authors) share chunks, so every file is checked.
const DIST = new URL('../dist/', import.meta.url)
const files = readdirSync(DIST).filter((name) => name.endsWith('.js'))
const read = (name: string) => readFileSync(new URL(name, DIST), 'utf8')

describe('the built package', () => {
  it('builds both entries', () => {
    expect(files).toEqual(expect.arrayContaining(['index.js', 'flow.js']))
  })

  it('imports nothing but ofetch and its own chunks (no Node built-ins, no flow package)', () => {
    for (const name of files) {
      const specifiers = [
        ...read(name).matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g),
      ]
        .map((m) => m[1] ?? m[2])
        .filter((s) => !s?.startsWith('./'))
      expect(new Set(specifiers), name).toEqual(new Set(specifiers.length ? ['ofetch'] : []))
    }
  })

  it('reads no process, Buffer or require at all', () => {
    for (const name of files)
      expect(read(name), name).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/)
  })

  it('has no top-level side effects a bundler would have to keep', () => {
    for (const name of files) {
      // Top-level statements are declarations and exports only.
      const topLevel = read(name)
        .split('\n')
        .filter((line) => /^[a-zA-Z]/.test(line))
        .filter(
          (line) => !/^(import|export|const|let|function|async function|class|var)\b/.test(line),
        )
      expect(topLevel, name).toEqual([])
    }
  })

  it('keeps flow-author helpers out of the application entry', () => {
    const index = read('index.js')
    expect(index).not.toMatch(/\bexport\s*\{[^}]*\brequestToken\b/)
    expect(read('flow.js')).toMatch(/\brequestToken\b/)
  })
})
