import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Target } from './bundle.js'
import type { ControlServer } from './control-server.js'

/** How long one runtime may take to run the whole suite. */
export const TIMEOUT_MS = 120_000

/** What running the suite in a runtime produced besides the posted report. */
export interface RunResult {
  /** Why the runtime may not have reported: exit status, timeout, console output. */
  diagnostics: string
}

/** One runtime of the matrix. */
export interface Runtime {
  name: string
  /** The export conditions its bundle is made for. */
  target: Target
  /** `script` runs at the top level; `worker` exports a fetch handler (workerd allows no I/O outside a request). */
  entry: 'script' | 'worker'
  /** What the suite must report as its agent, so a report from the wrong runtime is caught. */
  agent: RegExp
  /** The runtime's own version string; throws when the runtime is missing. */
  version(): Promise<string>
  /** Runs the bundled suite; the report arrives through the control server. */
  run(bundle: string, control: ControlServer): Promise<RunResult>
}

/** A scratch directory per run, so no runtime picks up a config, lockfile, profile or cache of ours. */
export async function inScratch<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'sfauth-runtime-'))
  try {
    return await use(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
