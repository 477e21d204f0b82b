import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The built file is what users' bundlers see; `pnpm test` builds before testing.
const dist = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8')

describe('the built package', () => {
  it('imports nothing but @sfauth/core/flow (no Node built-ins, no other flow)', () => {
    const specifiers = [
      ...dist.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1] ?? m[2])
    expect(new Set(specifiers)).toEqual(new Set(['@sfauth/core/flow']))
  })

  it('reads no process, Buffer or require at all', () => {
    expect(dist).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/)
  })

  it('has no top-level side effects a bundler would have to keep', () => {
    const topLevel = dist
      .split('\n')
      .filter((line) => /^[a-zA-Z]/.test(line))
      .filter(
        (line) => !/^(import|export|const|let|function|async function|class|var)\b/.test(line),
      )
    expect(topLevel).toEqual([])
  })
})
