import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** Every file path an `exports` map (or `main`/`types`/`module`) points at. */
export function exportTargets(pkg: Record<string, unknown>): string[] {
  const targets = new Set<string>()
  const walk = (value: unknown) => {
    if (typeof value === 'string') targets.add(value)
    else if (Array.isArray(value)) for (const item of value) walk(item)
    else if (value && typeof value === 'object') for (const item of Object.values(value)) walk(item)
  }
  walk(pkg.exports)
  for (const field of ['main', 'module', 'types', 'typings']) walk(pkg[field])
  return [...targets]
}

/** The targets that are missing from the unpacked tarball at `dir` (wildcards are not used here). */
export function missingTargets(pkg: Record<string, unknown>, dir: string): string[] {
  return exportTargets(pkg).filter(
    (target) => target.includes('*') || !existsSync(join(dir, target)),
  )
}
