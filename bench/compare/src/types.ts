import type { Emulator } from '@sfauth/emulator'

/** The three clients each comparison runs, in this order inside a round. */
export const LIBS = ['raw fetch', '@sfauth', 'jsforce'] as const
export type Lib = (typeof LIBS)[number]

/** Options of one `pnpm bench` run. */
export interface BenchOptions {
  /** Smoke mode: few repetitions, smaller storms and fleets. */
  quick: boolean
  /** Repetitions of each interleaved comparison (overrides the mode's default). */
  runs?: number
  /** Run only these benchmark ids. */
  only?: string[]
  /** Skip these benchmark ids. */
  skip?: string[]
  /** Where to write the Markdown results; undefined writes nothing. */
  out?: string
  /** Progress lines (stderr by default). */
  log?: (line: string) => void
}

/** What a benchmark gets: the emulator on loopback and how many times to repeat. */
export interface BenchContext {
  options: BenchOptions
  /** Repetitions of each interleaved comparison. */
  runs: number
  emulator: Emulator
  /** The emulator's loopback URL: login host, My Domain and instance at once. */
  url: string
  /** Credentials of the emulator's default user and app (loopback only). */
  creds: { clientId: string; clientSecret: string; username: string; password: string }
  /** Directory of this package: children run here so `@sfauth/*` and `jsforce` resolve. */
  cwd: string
  log: (line: string) => void
}

/** One benchmark's figures: a table for people and `data` for the test and the docs. */
export interface Section {
  id: string
  title: string
  /** What was measured and how, one paragraph of Markdown. */
  method: string
  headers: string[]
  rows: string[][]
  /** Lines shown under the table (what the failures were, caveats). */
  notes?: string[]
  /** Headline ratios or counts, quoted in the summary ("@sfauth 1.02× vs jsforce 1.41×"). */
  summary?: string
  data: Record<string, unknown>
}

/**
 * A benchmark is one file under `src/benchmarks/` exporting one of these, listed in
 * `src/benchmarks/index.ts`. Each comparison interleaves its variants inside one run
 * (A, B, C, A, B, C, ...) and reports medians, so a noisy machine moves the figures, not the ratios.
 */
export interface Benchmark {
  id: string
  title: string
  run(ctx: BenchContext): Promise<Section>
}
