import { describe, expect, it } from 'vitest'
import { IMPORT_SETS } from '../../../bench/src/size/sets.js'
import { grantHintsModule, listProblems, packagesTable } from '../../../scripts/lists.mjs'
import {
  metadataProblems,
  publishedEntries,
  ROOT,
  type WorkspacePackage,
  workspacePackages,
} from '../../../scripts/workspace.mjs'
import { withoutBudget, withoutDemoStep, withoutExample, withoutPreset } from '../src/coverage.js'

const packages = workspacePackages()

/**
 * The vitest configs that skip the shared preset for now, each with why. The list only shrinks:
 * a config that takes the preset fails the check until it leaves the list.
 */
const PRESET_EXCEPTIONS: string[] = []

/** A package as workspacePackages() reads it, for the checks' own tests. */
function pkg(dir: string, sfauth: WorkspacePackage['sfauth'], entries = true): WorkspacePackage {
  return {
    dir,
    path: `/x/packages/${dir}`,
    name: `@sfauth/${dir}`,
    published: true,
    json: {},
    sfauth,
    entries: [
      {
        specifier: `@sfauth/${dir}`,
        dist: './dist/index.d.ts',
        source: entries ? `/x/packages/${dir}/src/index.ts` : undefined,
      },
    ],
  }
}

describe('the one list of packages (packages/*/package.json)', () => {
  it('is complete, and what is written from it is up to date (pnpm lists)', () => {
    expect(listProblems()).toEqual([])
    expect(packages.map((p) => p.name)).toContain('@sfauth/core')
  })

  it('names the package and the field a new package lacks', () => {
    expect(
      metadataProblems([
        pkg('cli', undefined),
        pkg('cloudflare', { role: 'lock', summary: 'x' }, false),
        pkg('a', { role: 'flow', summary: 'a', imports: ['a'], grants: { g: 'a()' } }),
        pkg('b', { role: 'flow', summary: 'b', notBundled: 'why', grants: { g: 'b()' } }),
      ]),
    ).toEqual([
      'packages/cli/package.json: no "sfauth" field (role, summary, ...: see scripts/workspace.mjs)',
      'packages/cloudflare/package.json: give exactly one of "sfauth.imports" (what an app imports: its bundle-size set) and "sfauth.notBundled" (why it has none)',
      'packages/cloudflare/package.json: no source file for @sfauth/cloudflare (./dist/index.d.ts): expected src/<name>.ts, src/<name>/index.ts or src/node/<name>.ts',
      'packages/b/package.json: grant type g is already answered by @sfauth/a',
    ])
  })

  it("writes the README's table and core's grant hints from the packages' fields", () => {
    const pkgs = [
      pkg('core', { role: 'core', summary: 'the core', imports: ['Connection'] }),
      pkg('x', { role: 'flow', summary: '`x()`', imports: ['x'], grants: { 'urn:x': 'x()' } }),
    ]
    expect(packagesTable(pkgs)).toBe(
      [
        '| package | what it is |',
        '|---|---|',
        '| [`@sfauth/core`](packages/core/README.md) | the core |',
        '| [`@sfauth/x`](packages/x/README.md) | `x()` |',
      ].join('\n'),
    )
    expect(grantHintsModule(pkgs)).toContain("'urn:x': '@sfauth/x (x())',")
  })

  it('documents every published entry (the TypeDoc entry points)', () => {
    const specifiers = publishedEntries(packages).map((e) => e.specifier)
    expect(specifiers).toEqual(
      expect.arrayContaining(['@sfauth/core', '@sfauth/core/flow', '@sfauth/session/file-lock']),
    )
    const all = packages.filter((p) => p.published).flatMap((p) => p.entries)
    expect(all.filter((e) => !e.source).map((e) => e.specifier)).toEqual([])
  })

  it('has a bundle-size set with a budget for every package an app bundles', () => {
    const bundled = packages.filter((p) => p.sfauth?.imports).map((p) => p.name)
    const inSets = new Set(IMPORT_SETS.flatMap((set) => set.packages))
    expect(bundled.filter((name) => !inSets.has(name))).toEqual([])
    expect(withoutBudget(ROOT, IMPORT_SETS)).toEqual([])
  })

  it('has an example for every flow and lock, and a demo step for every flow', () => {
    expect(withoutExample(ROOT, packages)).toEqual([])
    expect(withoutDemoStep(ROOT, packages)).toEqual([])
    const bare = [pkg('new-flow', { role: 'flow', summary: 'n', imports: ['n'] })]
    expect(withoutExample(ROOT, bare)).toEqual([
      '@sfauth/new-flow has no example: add examples/<name> (a private package that depends on it)',
    ])
    expect(withoutDemoStep(ROOT, bare)).toHaveLength(1)
  })

  it('has every vitest config start from the shared preset', () => {
    expect(withoutPreset(ROOT, PRESET_EXCEPTIONS)).toEqual([])
  })
})
