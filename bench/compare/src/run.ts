import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { BENCHMARKS, PENDING } from './benchmarks/index.js'
import { machineLine, markdown, text } from './report.js'
import type { BenchContext, BenchOptions, Section } from './types.js'

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))

/** Repetitions of each interleaved comparison when `--runs` is not given. */
export const DEFAULT_RUNS = { full: 15, quick: 3 }

export interface BenchResult {
  machine: string
  sections: Section[]
  pending: typeof PENDING
  text: string
  markdown: string
}

/**
 * Starts the emulator on 127.0.0.1 (refresh-token rotation on, explicitly), runs the selected
 * benchmarks one after another, and writes RESULTS.md when `options.out` is set.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const emulator = createEmulator({ apps: [{ ...DEFAULT_APP, rotateRefreshTokens: true }] })
  const server = await emulator.listen(0)
  const ctx: BenchContext = {
    options,
    runs: options.runs ?? (options.quick ? DEFAULT_RUNS.quick : DEFAULT_RUNS.full),
    emulator,
    url: server.url,
    creds: {
      clientId: DEFAULT_APP.clientId,
      clientSecret: DEFAULT_APP.clientSecret!,
      username: DEFAULT_USER.username,
      password: DEFAULT_USER.password + DEFAULT_USER.securityToken,
    },
    cwd: PACKAGE_DIR,
    log,
  }
  const selected = BENCHMARKS.filter(
    (b) => (!options.only || options.only.includes(b.id)) && !options.skip?.includes(b.id),
  )
  const sections: Section[] = []
  try {
    for (const bench of selected) {
      const started = performance.now()
      log(`${bench.id}: running`)
      sections.push(await bench.run(ctx))
      log(`${bench.id}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    }
  } finally {
    await server.close()
  }
  const machine = machineLine()
  const pending = options.only ? [] : PENDING
  const md = markdown(sections, pending, machine, `pnpm bench${options.quick ? ' --quick' : ''}`)
  if (options.out) writeFileSync(options.out, md)
  return { machine, sections, pending, text: text(sections, pending), markdown: md }
}
