import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/** Every `.js`/`.mjs` file under `dir`, recursively. */
function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : scripts(path)
    return /\.m?js$/.test(entry.name) ? [path] : []
  })
}

/**
 * What makes a package's runtime files slower to import than they need to be. Node reads, decodes
 * and parses every byte of a module on import, so:
 * - a character outside printable ASCII: a non-ASCII one turns the whole file into a two-byte
 *   string, so write it as an escape (`\u2026`);
 * - a JSDoc comment is bytes only editors want, and they read it from the `.d.ts` files.
 * Returns one line per problem, `file:line: what`, with paths relative to `root`.
 */
export function leanProblems(root: string): string[] {
  const problems: string[] = []
  for (const file of scripts(root)) {
    const lines = readFileSync(file, 'utf8').split('\n')
    const at = (index: number) => `${relative(root, file)}:${index + 1}`
    lines.forEach((line, index) => {
      const wide = /[^ -~\t\r]/.exec(line)
      if (wide) {
        const code = wide[0].codePointAt(0)?.toString(16).padStart(4, '0')
        problems.push(
          `${at(index)}: character U+${code} that is not printable ASCII: write it as an escape`,
        )
      }
      if (/^\s*\/\*\*(?!\s*[#@]__)/.test(line)) problems.push(`${at(index)}: a JSDoc comment`)
    })
  }
  return problems
}
