import type { Benchmark } from '../types.js'
import { bundleSize } from './bundle-size.js'
import { cliToken } from './cli-token.js'
import { coldImport } from './cold-import.js'
import { coldStart } from './cold-start.js'
import { edgeFleetStorm } from './edge-fleet-storm.js'
import { fleetStorm } from './fleet-storm.js'
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
  fleetStorm,
  edgeFleetStorm,
  memory,
  cliToken,
  bundleSize,
]

/** Benchmarks with a slot in RESULTS.md but nothing to measure yet. */
export const PENDING: { id: string; title: string; why: string }[] = []
