// `pnpm size`: bundle every realistic import set from the built packages, print minified and gzip
// bytes, enforce the gzip budgets in budgets.json and the tree-shaking rules, and compare with
// jsforce. `--explain` prints what each input costs; `--tighten` lowers each budget to the
// measured size + 10% (never raises one); `--write-readme` updates the root README's section.
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { budgetOf, readBudgets, tightenBudgets } from './budgets.js'
import { type Measurement, measure } from './measure.js'
import { Owners } from './owners.js'
import { writeReadmeSection } from './readme.js'
import { IMPORT_SETS, type ImportSet, JSFORCE } from './sets.js'
import { breakdown, treeShakingViolations } from './tree-shaking.js'

const BENCH_DIR = fileURLToPath(new URL('../..', import.meta.url))
const README = fileURLToPath(new URL('../../../README.md', import.meta.url))
const BUDGETS = `${BENCH_DIR}/budgets.json`
/** Why the budgets are what they are, in words: written into the README under the table. */
const NOTES = `${BENCH_DIR}/budget-notes.md`

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`

interface Row {
  name: string
  m: Measurement
  budget: number
  problems: string[]
}

async function main(): Promise<number> {
  const explain = process.argv.includes('--explain')
  const owners = new Owners(BENCH_DIR)
  if (process.argv.includes('--tighten')) {
    const measured = new Map<string, number>()
    for (const set of IMPORT_SETS) measured.set(set.name, (await measure(set, BENCH_DIR)).gzipBytes)
    const changed = tightenBudgets(BUDGETS, measured)
    console.log(`tightened: ${changed.length > 0 ? changed.join(', ') : 'nothing'}`)
  }
  const budgets = readBudgets(BUDGETS)
  const rows: Row[] = []
  for (const set of IMPORT_SETS) {
    const m = await measure(set, BENCH_DIR)
    const budget = budgetOf(budgets, set.name)
    const problems: string[] = []
    if (budget === undefined) problems.push('no budget in budgets.json')
    else if (m.gzipBytes > budget) problems.push(`over budget by ${m.gzipBytes - budget} bytes`)
    problems.push(...treeShakingViolations(set, m, owners).map((v) => `tree-shaking: ${v}`))
    rows.push({ name: set.name, m, budget: budget ?? 0, problems })
  }
  const jsforce = await measure(JSFORCE, BENCH_DIR, { leaveNodeBuiltins: true })

  const width = Math.max(...rows.map((r) => r.name.length), JSFORCE.name.length)
  console.log(
    `${'import set'.padEnd(width)}  ${'minified'.padStart(10)}  ${'gzip'.padStart(10)}  ${'budget'.padStart(10)}`,
  )
  for (const row of rows) {
    const status = row.problems.length === 0 ? 'ok' : 'FAIL'
    console.log(
      `${row.name.padEnd(width)}  ${kb(row.m.minBytes).padStart(10)}  ${kb(row.m.gzipBytes).padStart(10)}  ${kb(row.budget).padStart(10)}  ${status}`,
    )
    const contains = [...new Set(row.m.inputs.map((i) => owners.ownerOf(i.path)))].filter(
      (o) => o !== '(entry)',
    )
    console.log(`    contains: ${contains.join(', ')}`)
    for (const problem of row.problems) console.log(`    ${problem}`)
    if (explain || row.problems.some((p) => p.startsWith('over budget'))) {
      const set = IMPORT_SETS.find((s) => s.name === row.name)
      if (set) for (const line of await gzipCosts(set, row.m, contains)) console.log(`    ${line}`)
      for (const line of breakdown(row.m, owners)) console.log(`    ${line}`)
    }
  }
  const everything = rows.find((r) => r.name === 'everything')
  const oauth = rows.find((r) => r.name === 'core + oauth2')
  console.log(
    `${JSFORCE.name.padEnd(width)}  ${kb(jsforce.minBytes).padStart(10)}  ${kb(jsforce.gzipBytes).padStart(10)}`,
  )
  const ratio = (row: Row | undefined) =>
    row ? `${(jsforce.gzipBytes / row.m.gzipBytes).toFixed(1)}×` : 'n/a'
  if (jsforce.nodeBuiltins.length > 0) {
    console.log(`    not counted: Node built-ins it imports (${jsforce.nodeBuiltins.join(', ')})`)
  }
  console.log(
    `jsforce's Connection is ${ratio(everything)} the gzip size of everything and ${ratio(oauth)} that of core + oauth2`,
  )

  if (process.argv.includes('--write-readme')) {
    writeReadmeSection(README, readmeBody(rows, jsforce, ratio(everything), ratio(oauth)))
    console.log(`wrote the Bundle sizes section of ${README}`)
  }
  const failed = rows.filter((r) => r.problems.length > 0).length
  console.log(
    failed === 0
      ? 'size: all budgets and tree-shaking checks pass'
      : `size: ${failed} import set(s) failed`,
  )
  return failed === 0 ? 0 : 1
}

/** What each package adds to the set's gzip size: the bundle's size with and without it. */
async function gzipCosts(set: ImportSet, m: Measurement, packages: string[]): Promise<string[]> {
  const lines: string[] = []
  for (const name of packages) {
    const without = await measure(set, BENCH_DIR, { external: [name, `${name}/*`] })
    const cost = m.gzipBytes - without.gzipBytes
    lines.push(
      `${String(cost).padStart(7)}  ${name} (gzip bytes the bundle loses without it and what only it brings in)`,
    )
  }
  return lines.sort((a, b) => Number.parseInt(b, 10) - Number.parseInt(a, 10))
}

function readmeBody(rows: Row[], jsforce: Measurement, vsAll: string, vsOauth: string): string {
  const lines = [
    'Each row bundles what an app imports (`Connection` from core plus the flow’s factory or class) from the built packages with esbuild: minified ESM, browser platform, `worker` and `browser` conditions, nothing external. `pnpm size` prints these figures and fails CI when a bundle outgrows its gzip budget ([bench/budgets.json](bench/budgets.json)) or contains code of a flow it does not import (no fast-xml-parser outside soap-login bundles, no jose outside jwt bundles, no flow in core).',
    '',
    '| import set | minified | gzip | budget (gzip) |',
    '|---|---:|---:|---:|',
    ...rows.map(
      (r) => `| ${r.name} | ${kb(r.m.minBytes)} | ${kb(r.m.gzipBytes)} | ${kb(r.budget)} |`,
    ),
    `| jsforce \`Connection\` (for comparison) | ${kb(jsforce.minBytes)} | ${kb(jsforce.gzipBytes)} | — |`,
    '',
    ...(existsSync(NOTES) ? [readFileSync(NOTES, 'utf8').trim(), ''] : []),
    `jsforce’s \`Connection\` bundled the same way is ${vsAll} the gzip size of all of @sfauth and ${vsOauth} that of core + oauth2, and that is a lower bound: its browser build still imports Node built-ins (${jsforce.nodeBuiltins.map((b) => `\`${b}\``).join(', ')}), left out of its figure, that a browser app has to polyfill.`,
  ]
  return lines.join('\n')
}

process.exit(await main())
