// `pnpm size`: bundle every realistic import set from the built packages for both platforms
// (browser: edge workers and browsers; node: Lambda, Vercel Node functions), print minified and
// gzip bytes, enforce the gzip budgets in budgets.json per platform, the Node-vs-browser twin gap
// and the tree-shaking rules, and compare with jsforce. `--explain` prints what each input costs;
// `--tighten` lowers each budget to the measured size + 10% (never raises one); `--write-readme`
// updates the Bundle sizes section of docs/bundle-sizes.md (linked from the root README).
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { budgetOf, readBudgets, tightenBudgets, twinProblem } from './budgets.js'
import { type Measurement, measure, PLATFORMS, type Platform } from './measure.js'
import { Owners } from './owners.js'
import { writeReadmeSection } from './readme.js'
import { IMPORT_SETS, type ImportSet, JSFORCE } from './sets.js'
import { breakdown, treeShakingViolations } from './tree-shaking.js'

const BENCH_DIR = fileURLToPath(new URL('../..', import.meta.url))
/** The page that holds the Bundle sizes table (the root README links to it). */
const SIZES_PAGE = fileURLToPath(new URL('../../../docs/bundle-sizes.md', import.meta.url))
const BUDGETS = `${BENCH_DIR}/budgets.json`
/** Why the budgets are what they are, in words: written under the table. */
const NOTES = `${BENCH_DIR}/budget-notes.md`

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`

interface Row {
  set: ImportSet
  platform: Platform
  m: Measurement
  budget: number
  problems: string[]
}

async function main(): Promise<number> {
  const explain = process.argv.includes('--explain')
  const owners = new Owners(BENCH_DIR)
  if (process.argv.includes('--tighten')) {
    for (const platform of PLATFORMS) {
      const measured = new Map<string, number>()
      for (const set of IMPORT_SETS) {
        if (!(set.platforms ?? PLATFORMS).includes(platform)) continue
        measured.set(set.name, (await measure(set, BENCH_DIR, { platform })).gzipBytes)
      }
      const changed = tightenBudgets(BUDGETS, platform, measured)
      console.log(`tightened (${platform}): ${changed.length > 0 ? changed.join(', ') : 'nothing'}`)
    }
  }
  const budgets = readBudgets(BUDGETS)
  const rows: Row[] = []
  for (const set of IMPORT_SETS) {
    for (const platform of set.platforms ?? PLATFORMS) {
      const m = await measure(set, BENCH_DIR, { platform })
      const budget = budgetOf(budgets, platform, set.name)
      const problems: string[] = []
      if (budget === undefined) problems.push(`no ${platform} budget in budgets.json`)
      else if (m.gzipBytes > budget) problems.push(`over budget by ${m.gzipBytes - budget} bytes`)
      const twin = rows.find((r) => r.set === set && r.platform === 'browser')
      const gap =
        platform === 'node' && twin ? twinProblem(twin.m.gzipBytes, m.gzipBytes) : undefined
      if (gap) problems.push(gap)
      problems.push(...treeShakingViolations(set, m, owners).map((v) => `tree-shaking: ${v}`))
      rows.push({ set, platform, m, budget: budget ?? 0, problems })
    }
  }
  const jsforce = new Map<Platform, Measurement>()
  for (const platform of PLATFORMS) {
    jsforce.set(platform, await measure(JSFORCE, BENCH_DIR, { leaveNodeBuiltins: true, platform }))
  }

  const label = (row: Row) => `${row.set.name} (${row.platform})`
  const width = Math.max(...rows.map((r) => label(r).length), JSFORCE.name.length + 10)
  console.log(
    `${'import set'.padEnd(width)}  ${'minified'.padStart(10)}  ${'gzip'.padStart(10)}  ${'budget'.padStart(10)}`,
  )
  for (const row of rows) {
    const status = row.problems.length === 0 ? 'ok' : 'FAIL'
    console.log(
      `${label(row).padEnd(width)}  ${kb(row.m.minBytes).padStart(10)}  ${kb(row.m.gzipBytes).padStart(10)}  ${kb(row.budget).padStart(10)}  ${status}`,
    )
    const contains = [...new Set(row.m.inputs.map((i) => owners.ownerOf(i.path)))].filter(
      (o) => o !== '(entry)',
    )
    console.log(`    contains: ${contains.join(', ')}`)
    for (const problem of row.problems) console.log(`    ${problem}`)
    if (explain || row.problems.length > 0) {
      for (const line of await gzipCosts(row, contains)) console.log(`    ${line}`)
      for (const line of breakdown(row.m, owners)) console.log(`    ${line}`)
    }
  }
  for (const [platform, m] of jsforce) {
    console.log(
      `${`${JSFORCE.name} (${platform})`.padEnd(width)}  ${kb(m.minBytes).padStart(10)}  ${kb(m.gzipBytes).padStart(10)}`,
    )
  }
  const browserJsforce = jsforce.get('browser') as Measurement
  const browserRow = (name: string) =>
    rows.find((r) => r.set.name === name && r.platform === 'browser')
  const ratio = (row: Row | undefined) =>
    row ? `${(browserJsforce.gzipBytes / row.m.gzipBytes).toFixed(1)}×` : 'n/a'
  if (browserJsforce.nodeBuiltins.length > 0) {
    console.log(
      `    not counted in its browser figure: Node built-ins it imports (${browserJsforce.nodeBuiltins.join(', ')})`,
    )
  }
  const vsAll = ratio(browserRow('everything'))
  const vsOauth = ratio(browserRow('core + oauth2'))
  console.log(
    `jsforce's Connection is ${vsAll} the gzip size of everything and ${vsOauth} that of core + oauth2 (browser)`,
  )

  if (process.argv.includes('--write-readme')) {
    writeReadmeSection(SIZES_PAGE, readmeBody(rows, jsforce, vsAll, vsOauth))
    console.log(`wrote the Bundle sizes section of ${SIZES_PAGE}`)
  }
  const failed = rows.filter((r) => r.problems.length > 0).length
  console.log(
    failed === 0
      ? `size: all budgets, twin gaps and tree-shaking checks pass (${PLATFORMS.join(' and ')})`
      : `size: ${failed} bundle(s) failed`,
  )
  return failed === 0 ? 0 : 1
}

/** What each package adds to the bundle's gzip size: the bundle's size with and without it. */
async function gzipCosts(row: Row, packages: string[]): Promise<string[]> {
  const lines: string[] = []
  for (const name of packages) {
    const without = await measure(row.set, BENCH_DIR, {
      external: [name, `${name}/*`],
      platform: row.platform,
    })
    const cost = row.m.gzipBytes - without.gzipBytes
    lines.push(
      `${String(cost).padStart(7)}  ${name} (gzip bytes the bundle loses without it and what only it brings in)`,
    )
  }
  return lines.sort((a, b) => Number.parseInt(b, 10) - Number.parseInt(a, 10))
}

function readmeBody(
  rows: Row[],
  jsforce: Map<Platform, Measurement>,
  vsAll: string,
  vsOauth: string,
): string {
  const browserJsforce = jsforce.get('browser') as Measurement
  const nodeJsforce = jsforce.get('node') as Measurement
  const of = (set: ImportSet, platform: Platform) =>
    rows.find((r) => r.set === set && r.platform === platform)
  const lines = [
    'Each row bundles what an app imports (`Connection` from core plus the flow’s factory or class) from the built packages with esbuild, minified ESM, nothing external, twice: for the **browser** platform with the `worker` and `browser` conditions (edge workers, browsers) and for the **node** platform with its `node` condition (what a Lambda or Vercel Node function bundles; Node built-ins stay external). `pnpm size` prints these figures and fails CI when a bundle outgrows its gzip budget for its platform ([bench/budgets.json](../bench/budgets.json)), when a Node bundle is more than 600 B gzip larger than its browser twin, when a bundle holds node-fetch-native, or when it contains code of a flow it does not import (no fast-xml-parser outside soap-login bundles, no jose outside jwt bundles, no flow in core).',
    '',
    '| import set | minified (browser) | gzip (browser) | gzip (node) | budget (gzip, browser / node) |',
    '|---|---:|---:|---:|---:|',
    ...IMPORT_SETS.map((set) => {
      const [browser, node] = [of(set, 'browser') as Row, of(set, 'node')]
      return `| ${set.name} | ${kb(browser.m.minBytes)} | ${kb(browser.m.gzipBytes)} | ${node ? kb(node.m.gzipBytes) : '—'} | ${kb(browser.budget)} / ${node ? kb(node.budget) : '—'} |`
    }),
    `| jsforce \`Connection\` (for comparison) | ${kb(browserJsforce.minBytes)} | ${kb(browserJsforce.gzipBytes)} | ${kb(nodeJsforce.gzipBytes)} | — |`,
    '',
    ...(existsSync(NOTES) ? [readFileSync(NOTES, 'utf8').trim(), ''] : []),
    `jsforce’s \`Connection\` bundled the same way is ${vsAll} the gzip size of all of @sfauth and ${vsOauth} that of core + oauth2 (browser platform), and that is a lower bound: its browser build still imports Node built-ins (${browserJsforce.nodeBuiltins.map((b) => `\`${b}\``).join(', ')}), left out of its figure, that a browser app has to polyfill.`,
  ]
  return lines.join('\n')
}

process.exit(await main())
