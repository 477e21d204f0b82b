import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The built file is what users' bundlers see; `pnpm test` builds before testing.
const dist = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8')

describe('the built package', () => {
  it('imports nothing: ofetch is inlined, no Node built-in, no flow package', () => {
    const specifiers = [
      ...dist.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1] ?? m[2])
    expect(specifiers).toEqual([])
    expect(dist).toContain('function createFetch(')
  })

  it("holds ofetch's runtime-neutral build, not its node one (no node-fetch-native)", () => {
    expect(dist).not.toMatch(/node-fetch-native|createNodeFetch|FETCH_KEEP_ALIVE/)
  })

  it('reads no global at import: Node loads its fetch (undici) on the first read of Headers', () => {
    const topLevel = dist.split('\n').filter((line) => /^(const|let|var)\b/.test(line))
    expect(topLevel.filter((line) => /\b(globalThis|self|window|global)\./.test(line))).toEqual([])
  })

  it('reads no process, Buffer or require at all', () => {
    expect(dist).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/)
  })

  it('has no top-level side effects a bundler would have to keep', () => {
    // Top-level statements are declarations and exports only. The one exception is what rolldown
    // leaves of inlined ufo's unused `const r = String.fromCharCode`: a bare read of a built-in.
    const topLevel = dist
      .split('\n')
      .filter((line) => /^[a-zA-Z]/.test(line))
      .filter(
        (line) => !/^(import|export|const|let|function|async function|class|var)\b/.test(line),
      )
      .filter((line) => line !== 'String.fromCharCode;')
    expect(topLevel).toEqual([])
  })
})
