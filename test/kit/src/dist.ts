import { existsSync, readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

/** What {@link checkDist} checks. */
export interface CheckDistOptions {
  /** Every bare module the built code may import, and must: the list is compared exactly. */
  allow: string[]
  /** The entry files in `dist/` (default `['index.js']`); relative imports are followed. */
  entries?: string[]
  /** The package folder (default: the working directory vitest runs the package's tests in). */
  packageDir?: URL
}

const SPECIFIER =
  /^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm
const DECLARATION = /^(import|export|const|let|function|async function|class|var)\b/

/** The code of a built file without its comments: JSDoc examples import other packages in text. */
function code(file: URL): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
}

/** Every built file an entry reaches by relative imports, entry first. */
function reachable(dist: URL, entries: string[]): Map<string, string> {
  const files = new Map<string, string>()
  const queue = entries.map((e) => new URL(e, dist))
  while (queue.length > 0) {
    const file = queue.shift() as URL
    if (files.has(file.href)) continue
    if (!existsSync(file)) throw new Error(`checkDist: ${file.pathname} is not built`)
    const text = code(file)
    files.set(file.href, text)
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? ''
      if (spec.startsWith('.')) queue.push(new URL(spec, file))
    }
  }
  return files
}

/**
 * The checks every package's built output passes (`pnpm test` builds first), as one `describe`:
 * it imports exactly the bare modules in `allow` (so no Node built-in, no other flow package),
 * reads no `process`, `Buffer` or `require`, and does no work at import (top-level statements
 * are declarations only, so a bundler can drop what is unused).
 *
 * @example
 * checkDist({ allow: ['@sfauth/core', 'fast-xml-parser'] })
 */
export function checkDist({
  allow,
  entries = ['index.js'],
  packageDir = pathToFileURL(`${process.cwd()}/`),
}: CheckDistOptions): void {
  const dist = new URL('dist/', packageDir)
  describe(`the built package (${entries.join(', ')})`, () => {
    const files = () => reachable(dist, entries)

    it(`imports ${allow.length ? allow.join(', ') : 'nothing'} and nothing else`, () => {
      const bare = new Set<string>()
      for (const text of files().values()) {
        for (const m of text.matchAll(SPECIFIER)) {
          const spec = m[1] ?? m[2] ?? m[3] ?? ''
          if (!spec.startsWith('.')) bare.add(spec)
        }
      }
      expect([...bare].sort()).toEqual([...allow].sort())
    })

    it('reads no process, Buffer or require', () => {
      for (const text of files().values()) {
        expect(text).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/)
      }
    })

    it('does no work at import: top-level statements are declarations only', () => {
      for (const text of files().values()) {
        const topLevel = text
          .split('\n')
          .filter((line) => /^[a-zA-Z]/.test(line))
          .filter((line) => !DECLARATION.test(line))
        expect(topLevel).toEqual([])
      }
    })
  })
}
