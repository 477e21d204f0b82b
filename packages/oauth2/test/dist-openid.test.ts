import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The OpenID entry as users' bundlers see it; `pnpm test` builds before testing.
const openid = readFileSync(new URL('../dist/openid.js', import.meta.url), 'utf8')
const main = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8')

// Statements only (lines that start with import/export), not the JSDoc examples in the output.
function specifiers(code: string): Set<string | undefined> {
  return new Set(
    [
      ...code.matchAll(
        /^(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm,
      ),
    ].map((m) => m[1] ?? m[2]),
  )
}

describe('the built @sfauth/oauth2/openid entry', () => {
  it('imports @sfauth/core and jose only, and the main entry never reaches it', () => {
    expect(specifiers(openid)).toEqual(new Set(['@sfauth/core', 'jose']))
    expect(main).not.toMatch(/\bjose\b|openid\.js/)
  })

  it('reads no process, Buffer or require at all', () => {
    expect(openid).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/)
  })

  it('has no top-level side effects a bundler would have to keep', () => {
    const topLevel = openid
      .split('\n')
      .filter((line) => /^[a-zA-Z]/.test(line))
      .filter(
        (line) => !/^(import|export|const|let|function|async function|class|var)\b/.test(line),
      )
    expect(topLevel).toEqual([])
  })
})
