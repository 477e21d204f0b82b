import { readFileSync, writeFileSync } from 'node:fs'
import type { Platform } from './measure.js'

/** Headroom left above a measured size when a budget is tightened. */
const HEADROOM = 1.1

/**
 * How many gzip bytes a Node-platform bundle may exceed its browser twin by. The same code runs
 * in both, so a larger gap means a Node-only dependency (such as node-fetch-native) crept in.
 */
export const TWIN_MAX_BYTES = 600

/** budgets.json: gzip byte ceilings per platform, by import set name, plus a `$comment`. */
export interface Budgets {
  $comment?: string
  browser: Record<string, number>
  node: Record<string, number>
}

export function readBudgets(path: string): Budgets {
  const budgets = JSON.parse(readFileSync(path, 'utf8')) as Partial<Budgets>
  return { ...budgets, browser: budgets.browser ?? {}, node: budgets.node ?? {} }
}

/** The gzip ceiling of `name` on `platform`, if budgets.json has one. */
export function budgetOf(budgets: Budgets, platform: Platform, name: string): number | undefined {
  const value = budgets[platform][name]
  return typeof value === 'number' ? value : undefined
}

/**
 * Lowers each budget of `platform` to the measured size plus 10% (rounded up to 10 bytes) where
 * that is below it. Budgets are never raised here: a bundle over its budget stays a failure until
 * its code shrinks or someone raises the ceiling on purpose.
 * @returns the names whose budget changed.
 */
export function tightenBudgets(
  path: string,
  platform: Platform,
  measured: Map<string, number>,
): string[] {
  const budgets = readBudgets(path)
  const changed: string[] = []
  for (const [name, gzip] of measured) {
    const current = budgetOf(budgets, platform, name)
    const tight = Math.ceil((gzip * HEADROOM) / 10) * 10
    if (current === undefined || tight < current) {
      budgets[platform][name] = tight
      changed.push(name)
    }
  }
  writeFileSync(path, `${JSON.stringify(budgets, null, 2)}\n`)
  return changed
}

/**
 * What is wrong with a Node-platform bundle compared with its browser twin.
 * @returns a message when the Node bundle is more than {@link TWIN_MAX_BYTES} gzip bytes larger.
 */
export function twinProblem(browserGzip: number, nodeGzip: number): string | undefined {
  const gap = nodeGzip - browserGzip
  return gap > TWIN_MAX_BYTES
    ? `${gap} gzip bytes over its browser twin (at most ${TWIN_MAX_BYTES})`
    : undefined
}
