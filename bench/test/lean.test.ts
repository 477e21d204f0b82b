import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { leanProblems } from '../src/packages/lean.js'

let dir: string | undefined
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

function unpacked(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'sfauth-lean-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  return dir
}

describe('lean runtime files', () => {
  it('passes ASCII code whose only comments are annotations and escapes', () => {
    const root = unpacked({
      'dist/index.js': 'const a = /* @__PURE__ */ f()\nconst b = "\\u2026"\n/*#__PURE__*/ g()\n',
      // Declarations keep their docs and may use any character.
      'dist/index.d.ts': '/** Masks a token… */\nexport declare function f(): void\n',
    })
    expect(leanProblems(root)).toEqual([])
  })

  it('names the file and line of a non-ASCII character and of a JSDoc comment', () => {
    const root = unpacked({
      'dist/index.js': 'export const ok = 1\n',
      'dist/chunk/flow.mjs': 'const x = 1\nconst y = "…"\n  /** Docs. */\nfunction f() {}\n',
    })
    expect(leanProblems(root)).toEqual([
      'dist/chunk/flow.mjs:2: character U+2026 that is not printable ASCII: write it as an escape',
      'dist/chunk/flow.mjs:3: a JSDoc comment',
    ])
  })

  it('does not look inside node_modules', () => {
    const root = unpacked({ 'node_modules/dep/index.js': '/** Docs… */\n' })
    expect(leanProblems(root)).toEqual([])
  })
})
