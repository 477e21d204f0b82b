import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The built file is what users' bundlers see; `pnpm test` builds before testing.
const dist = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8')
// JSDoc examples are kept in the output; their imports are text, not code.
const code = dist.replace(/\/\*[\s\S]*?\*\//g, '')

describe('the built package', () => {
  it('imports nothing but @sfauth/core/flow (no Node built-ins, no unstorage, no flow package)', () => {
    const specifiers = [
      ...code.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1] ?? m[2])
    expect(specifiers).toEqual(['@sfauth/core/flow'])
  })

  it('reads no process, Buffer or require at all', () => {
    expect(code).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/)
  })

  it('has no top-level side effects a bundler would have to keep', () => {
    const topLevel = code
      .split('\n')
      .filter((line) => /^[a-zA-Z]/.test(line))
      .filter(
        (line) => !/^(import|export|const|let|function|async function|class|var)\b/.test(line),
      )
    expect(topLevel).toEqual([])
  })
})
