import { readFileSync, writeFileSync } from 'node:fs'

/** Headroom left above a measured size when a budget is tightened. */
const HEADROOM = 1.1

/** budgets.json: gzip byte ceilings by import set name, plus a `$comment`. */
export type Budgets = Record<string, number | string>

export function readBudgets(path: string): Budgets {
  return JSON.parse(readFileSync(path, 'utf8')) as Budgets
}

/** The gzip ceiling of `name`, if budgets.json has one. */
export function budgetOf(budgets: Budgets, name: string): number | undefined {
  const value = budgets[name]
  return typeof value === 'number' ? value : undefined
}

/**
 * Lowers each budget to the measured size plus 10% (rounded up to 10 bytes) where that is below
 * it. Budgets are never raised here: a bundle over its budget stays a failure until its code
 * shrinks or someone raises the ceiling on purpose.
 * @returns the names whose budget changed.
 */
export function tightenBudgets(path: string, measured: Map<string, number>): string[] {
  const budgets = readBudgets(path)
  const changed: string[] = []
  for (const [name, gzip] of measured) {
    const current = budgetOf(budgets, name)
    const tight = Math.ceil((gzip * HEADROOM) / 10) * 10
    if (current === undefined || tight < current) {
      budgets[name] = tight
      changed.push(name)
    }
  }
  writeFileSync(path, `${JSON.stringify(budgets, null, 2)}\n`)
  return changed
}
