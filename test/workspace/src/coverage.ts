import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { WorkspacePackage } from '../../../scripts/workspace.mjs'

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'))

/** Every file under `dir` whose name ends with `.ts`, node_modules aside. */
function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** Each flow or lock package that no examples/* package (the demo aside) depends on. */
export function withoutExample(root: string, pkgs: WorkspacePackage[]): string[] {
  const used = new Set<string>()
  for (const dir of readdirSync(join(root, 'examples'))) {
    if (dir === 'demo' || !existsSync(join(root, 'examples', dir, 'package.json'))) continue
    const json = readJson(join(root, 'examples', dir, 'package.json'))
    for (const name of Object.keys({ ...json.dependencies, ...json.devDependencies })) {
      used.add(name)
    }
  }
  return pkgs
    .filter((p) => p.published && (p.sfauth?.role === 'flow' || p.sfauth?.role === 'lock'))
    .filter((p) => !used.has(p.name))
    .map(
      (p) => `${p.name} has no example: add examples/<name> (a private package that depends on it)`,
    )
}

/** Each flow package that no step of `pnpm demo` imports, unless "sfauth.noDemo" says why. */
export function withoutDemoStep(root: string, pkgs: WorkspacePackage[]): string[] {
  const sources = tsFiles(join(root, 'examples/demo/src')).map((f) => readFileSync(f, 'utf8'))
  return pkgs
    .filter((p) => p.published && p.sfauth?.role === 'flow' && !p.sfauth.noDemo)
    .filter((p) => !sources.some((s) => s.includes(`from '${p.name}'`)))
    .map(
      (p) =>
        `${p.name} has no step in pnpm demo: add examples/demo/src/steps/<step>.ts, or say why not in "sfauth.noDemo"`,
    )
}

/** Each bundle-size set without a budget in bench/budgets.json, per platform. */
export function withoutBudget(root: string, sets: string[]): string[] {
  const budgets = readJson(join(root, 'bench/budgets.json')) as Record<string, unknown>
  return Object.entries(budgets)
    .filter(([key]) => !key.startsWith('$'))
    .flatMap(([platform, table]) =>
      sets
        .filter((set) => !(set in (table as Record<string, number>)))
        .map(
          (set) =>
            `bench/budgets.json has no ${platform} budget for "${set}": run pnpm size --tighten`,
        ),
    )
}

/** Each vitest.config.ts of the workspace that does not start from the shared preset. */
export function withoutPreset(root: string, exceptions: string[]): string[] {
  const dirs = [
    ...['packages', 'examples', 'test'].flatMap((parent) =>
      readdirSync(join(root, parent)).map((dir) => `${parent}/${dir}`),
    ),
    'bench',
    'bench/compare',
  ]
  const problems: string[] = []
  for (const dir of dirs) {
    const config = join(root, dir, 'vitest.config.ts')
    if (!existsSync(config)) continue
    const uses = readFileSync(config, 'utf8').includes("from '@sfauth/test-kit/vitest'")
    if (!uses && !exceptions.includes(dir)) {
      problems.push(
        `${dir}/vitest.config.ts does not use vitestPreset() from @sfauth/test-kit/vitest`,
      )
    }
    if (uses && exceptions.includes(dir)) {
      problems.push(`${dir}/vitest.config.ts uses the preset now: take it off the exceptions`)
    }
  }
  return problems
}
