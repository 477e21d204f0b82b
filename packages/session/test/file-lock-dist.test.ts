import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The built entries as users' bundlers see them (`pnpm test` builds first).
const strip = (file: string) =>
  readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')
const imports = (code: string) =>
  [...code.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g)].map(
    (m) => m[1] ?? m[2],
  )

describe('the file-lock entry', () => {
  it('is its own file: the main entry reaches neither it nor proper-lockfile', () => {
    const main = strip('index.js')
    expect(main).not.toMatch(/file-lock|proper-lockfile|node:/)
    expect(imports(main)).toEqual(['@sfauth/core/flow'])
  })

  it('imports Node built-ins, proper-lockfile and @sfauth/core only (no shared chunk)', () => {
    const specifiers = imports(strip('file-lock.js'))
    expect(specifiers.sort()).toEqual(
      ['@sfauth/core/flow', 'node:crypto', 'node:fs', 'node:path', 'proper-lockfile'].sort(),
    )
  })
})
