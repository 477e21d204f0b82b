import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The built file is what users' bundlers see; build before testing (turbo's `test` does).
const dist = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8')

describe('the built package', () => {
  it('imports only @sfauth/core/flow and fast-xml-parser (no Node built-ins)', () => {
    const specifiers = [
      // Statements only: JSDoc examples in the output mention other packages.
      ...dist.matchAll(
        /^import\b[^;]*?\bfrom\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm,
      ),
    ].map((m) => m[1] ?? m[2])
    expect(new Set(specifiers)).toEqual(new Set(['@sfauth/core/flow', 'fast-xml-parser']))
  })

  it('reads no process, Buffer or require', () => {
    expect(dist).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/)
  })

  it('does no work at import: top-level statements are declarations only', () => {
    const topLevel = dist
      .split('\n')
      .filter((line) => /^[a-zA-Z]/.test(line))
      .filter(
        (line) => !/^(import|export|const|let|function|async function|class|var)\b/.test(line),
      )
    expect(topLevel).toEqual([])
    // The parser is made on first use, not when the module loads.
    expect(dist).not.toMatch(/^(const|let) \w+ = new XMLParser/m)
  })
})
