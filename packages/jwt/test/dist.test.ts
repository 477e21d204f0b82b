import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The built file is what users' bundlers see; `pnpm test` builds before testing.
const dist = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8')

describe('the built package', () => {
  it('imports only @sfauth/core/flow and jose: no Node built-ins', () => {
    const specifiers = new Set(
      // Statements only: the JSDoc examples kept in the file import '@sfauth/jwt' in comments.
      [
        ...dist.matchAll(
          /^(?:import|export)\b[^;]*?from\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm,
        ),
      ].map((m) => m[1] ?? m[2]),
    )
    expect([...specifiers].sort()).toEqual(['@sfauth/core/flow', 'jose'])
  })

  it('reads no process, Buffer or require', () => {
    expect(dist).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/)
  })

  it('exports the public API', async () => {
    const mod = await import('../dist/index.js')
    expect(Object.keys(mod).sort()).toEqual(['INVALID_KEY', 'JWT_BEARER_GRANT_TYPE', 'jwtBearer'])
    expect(mod.JWT_BEARER_GRANT_TYPE).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer')
  })
})
