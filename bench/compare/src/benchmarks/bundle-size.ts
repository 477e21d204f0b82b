import { fileURLToPath } from 'node:url'
import { timeNode } from '../child.js'
import type { Benchmark } from '../types.js'

const BENCH_DIR = fileURLToPath(new URL('../../..', import.meta.url))

/** One row of `pnpm size`'s table: `<import set>  <minified> KB  <gzip> KB  [<budget> KB  ok]`. */
export interface SizeRow {
  name: string
  minified: string
  gzip: string
}

/**
 * Reads the table `pnpm size` prints (it writes no JSON file): every line naming an import set
 * followed by a minified and a gzip size. Platform labels the size script adds stay in the name.
 */
export function parseSizeTable(stdout: string): SizeRow[] {
  const rows: SizeRow[] = []
  for (const line of stdout.split('\n')) {
    const m = /^(\S.*?)\s{2,}([\d.]+ KB)\s+([\d.]+ KB)(?:\s|$)/.exec(line)
    if (m && m[1] !== 'import set') rows.push({ name: m[1]!, minified: m[2]!, gzip: m[3]! })
  }
  return rows
}

/** The bundle sizes `pnpm size` measures (the `@sfauth/bench` package), both libraries. */
export const bundleSize: Benchmark = {
  id: 'bundle-size',
  title: 'Bundle sizes',
  async run(ctx) {
    const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url))
    // `pnpm size` exits 1 when a budget fails; the figures are still the figures.
    const size = await timeNode([tsx, 'src/size/main.ts'], { cwd: BENCH_DIR, okExitCodes: [1] })
    const stdout = size.stdout
    const failed = stdout.split('\n').find((l) => /^size: .*failed/.test(l))
    if (size.code !== 0)
      ctx.log(`bundle-size: pnpm size exited ${size.code}${failed ? ` (${failed})` : ''}`)
    const rows = parseSizeTable(stdout)
    const pick = (re: RegExp) => rows.filter((r) => re.test(r.name))
    const oauth = pick(/^core \+ oauth2( \(|$)/)
    const jsforce = pick(/jsforce/)
    const platformOf = (r: SizeRow) => /\(\w+\)$/.exec(r.name)?.[0]
    const gz = (r: SizeRow) => (platformOf(r) ? `${r.gzip} ${platformOf(r)}` : r.gzip)
    return {
      id: this.id,
      title: this.title,
      method:
        'As `pnpm size` measures them (`bench/src/size`, esbuild, minified ESM, gzip level 9): its table, read from its output. jsforce is bundled there from the `@sfauth/bench` package’s own jsforce, a lower bound (Node built-ins left out).',
      headers: ['import set', 'minified', 'gzip'],
      rows: rows.map((r) => [r.name, r.minified, r.gzip]),
      ...(failed
        ? {
            notes: [
              `\`pnpm size\` itself reported: ${failed} (over its budgets; see \`pnpm size\`)`,
            ],
          }
        : {}),
      summary:
        oauth.length > 0 && jsforce.length > 0
          ? `core + oauth2 ${oauth.map(gz).join(', ')} vs jsforce \`Connection\` ${jsforce.map(gz).join(', ')} (gzip)`
          : 'not measured (pnpm size gave no table)',
      data: { rows },
    }
  },
}
