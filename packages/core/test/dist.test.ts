import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The built files are what users' bundlers see; `pnpm test` builds before testing. Two entries
// (index.js for apps, flow.js for flow authors) share chunks, so every file is checked.
const DIST = new URL('../dist/', import.meta.url)
const files = readdirSync(DIST).filter((name) => name.endsWith('.js'))
const read = (name: string) => readFileSync(new URL(name, DIST), 'utf8')
const all = files.map(read).join('\n')

describe('the built package', () => {
  it('builds both entries', () => {
    expect(files).toEqual(expect.arrayContaining(['index.js', 'flow.js']))
  })

  it('imports only its own chunks: ofetch is inlined, no Node built-in, no flow package', () => {
    for (const name of files) {
      const specifiers = [
        ...read(name).matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g),
      ]
        .map((m) => m[1] ?? m[2])
        .filter((s) => !s?.startsWith('./'))
      expect(specifiers, name).toEqual([])
    }
    expect(all).toContain('function createFetch(')
  })

  it("holds ofetch's runtime-neutral build, not its node one (no node-fetch-native)", () => {
    expect(all).not.toMatch(/node-fetch-native|createNodeFetch|FETCH_KEEP_ALIVE/)
  })

  it('reads no global at import: Node loads its fetch (undici) on the first read of Headers', () => {
    const topLevel = all.split('\n').filter((line) => /^(const|let|var)\b/.test(line))
    expect(topLevel.filter((line) => /\b(globalThis|self|window|global)\./.test(line))).toEqual([])
  })

  it('reads no process, Buffer or require at all', () => {
    expect(all).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/)
  })

  it('has no top-level side effects a bundler would have to keep', () => {
    for (const name of files) {
      // Top-level statements are declarations and exports only. The one exception is what
      // rolldown leaves of inlined ufo's unused `const r = String.fromCharCode`: a bare read.
      const topLevel = read(name)
        .split('\n')
        .filter((line) => /^[a-zA-Z]/.test(line))
        .filter(
          (line) => !/^(import|export|const|let|function|async function|class|var)\b/.test(line),
        )
        .filter((line) => line !== 'String.fromCharCode;')
      expect(topLevel, name).toEqual([])
    }
  })

  it('keeps flow-author helpers out of the application entry', () => {
    const index = read('index.js')
    expect(index).not.toMatch(/\bexport\s*\{[^}]*\brequestToken\b/)
    expect(read('flow.js')).toMatch(/\brequestToken\b/)
  })
})
