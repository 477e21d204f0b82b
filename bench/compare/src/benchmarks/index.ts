import type { Benchmark } from '../types.js'
import { bundleSize } from './bundle-size.js'
import { coldImport } from './cold-import.js'
import { coldStart } from './cold-start.js'
import { memory } from './memory.js'
import { renewalStorm } from './renewal-storm.js'
import { warmRequest } from './warm-request.js'

/**
 * Every benchmark `pnpm bench` runs, in order. Adding one is one file in this folder exporting a
 * {@link Benchmark}, plus its line here.
 */
export const BENCHMARKS: Benchmark[] = [
  coldImport,
  coldStart,
  warmRequest,
  renewalStorm,
  // fleetStorm: processes × requests → token calls, replays, failures; once fleet-safe renewal
  // exists (issue 13). Until then RESULTS.md keeps its slot under PENDING.
  memory,
  bundleSize,
]

/** Benchmarks with a slot in RESULTS.md but nothing to measure yet. */
export const PENDING: { id: string; title: string; why: string }[] = [
  {
    id: 'fleet-storm',
    title: 'Fleet storm',
    why: 'Processes × requests sharing one session → token calls, replays, failures. Not measured yet: it needs fleet-safe renewal (issue 13). Add `src/benchmarks/fleet-storm.ts` and list it in `src/benchmarks/index.ts`.',
  },
]
