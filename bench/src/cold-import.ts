// Cold import: how much longer a fresh `node` process takes when it imports @sfauth/core and one
// flow than when it imports only an app's own (empty) entry file. Each run is a new process
// (nothing cached in memory); the variants are interleaved run by run so a noisy machine slows all
// of them alike, and medians are printed. Target (issue 15): core + one flow at most 10 ms over
// bare Node. Wall time is the target's measure; on a busy machine read the CPU column, which load
// inflates least. `pnpm --filter @sfauth/bench cold-import [-- --runs 40]`; bench/compare
// (`pnpm bench`) has the side-by-side figures with jsforce.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const BENCH_DIR = fileURLToPath(new URL('../', import.meta.url))
const TARGET_MS = 10

/**
 * An app's own entry file: every variant imports it first, so the baseline ("bare node") pays
 * for loading one ES module file, as any app does, and the others pay only for the packages.
 */
const scratch = mkdtempSync(join(tmpdir(), 'sfauth-cold-import-'))
const APP = join(scratch, 'app.mjs')
writeFileSync(APP, 'export {}\n')
const app = pathToFileURL(APP).href

/** What each variant imports after the app file; `no file` is node with no import at all. */
const VARIANTS: Record<string, string[]> = {
  'no file': [],
  'bare node': [app],
  core: [app, '@sfauth/core'],
  'core + oauth2': [app, '@sfauth/core', '@sfauth/oauth2'],
  'core + client-credentials': [app, '@sfauth/core', '@sfauth/client-credentials'],
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`)
  return index === -1 ? fallback : Number(process.argv[index + 1])
}

interface Sample {
  /** Spawn to exit, as the parent sees it. */
  wall: number
  /** CPU time (user + system) the whole process used: what a busy machine inflates least. */
  cpu: number
  /** The imports alone, timed inside the process with performance.now(). */
  imports: number
}

/** One fresh process that imports `specifiers` (in order) and reports its own timings. */
function runOnce(specifiers: string[]): Sample {
  const script = [
    'const t0 = performance.now()',
    ...specifiers.map((s) => `await import(${JSON.stringify(s)})`),
    'const ms = performance.now() - t0',
    'const { user, system } = process.cpuUsage()',
    "process.stdout.write(ms + ' ' + (user + system) / 1000)",
  ].join('\n')
  const started = process.hrtime.bigint()
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: BENCH_DIR,
    encoding: 'utf8',
  })
  const [imports, cpu] = out.split(' ').map(Number) as [number, number]
  return { wall: Number(process.hrtime.bigint() - started) / 1e6, cpu, imports }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

const runs = option('runs', 30)
const samples = new Map<string, Sample[]>(Object.keys(VARIANTS).map((name) => [name, []]))
for (const specifiers of Object.values(VARIANTS)) runOnce(specifiers) // warm the disk cache
for (let i = 0; i < runs; i++) {
  for (const [name, specifiers] of Object.entries(VARIANTS))
    samples.get(name)?.push(runOnce(specifiers))
}

const medianOf = (list: Sample[], key: keyof Sample) => median(list.map((s) => s[key]))
const bare = samples.get('bare node') ?? []
const [bareWall, bareCpu] = [medianOf(bare, 'wall'), medianOf(bare, 'cpu')]
const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(10)
console.log(`node ${process.version}, ${runs} interleaved runs per variant, medians`)
console.log(
  `${'variant'.padEnd(26)}  ${'wall'.padStart(10)}  ${'over bare'.padStart(10)}  ${'cpu'.padStart(10)}  ${'over bare'.padStart(10)}  ${'imports'.padStart(10)}`,
)
let worst = 0
for (const [name, list] of samples) {
  const [wall, cpu] = [medianOf(list, 'wall'), medianOf(list, 'cpu')]
  if (VARIANTS[name]?.length === 3) worst = Math.max(worst, wall - bareWall)
  console.log(
    `${name.padEnd(26)}  ${ms(wall)}  ${ms(wall - bareWall)}  ${ms(cpu)}  ${ms(cpu - bareCpu)}  ${ms(medianOf(list, 'imports'))}`,
  )
}
rmSync(scratch, { recursive: true, force: true })
const ok = worst <= TARGET_MS
console.log(
  `cold import: core + one flow is at most ${worst.toFixed(1)} ms (wall) over bare node (target ${TARGET_MS} ms): ${ok ? 'ok' : 'OVER'}`,
)
process.exit(ok ? 0 : 1)
