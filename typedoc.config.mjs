// `pnpm run docs`: the API reference of every published entry, derived from the workspace (each
// package's `exports` and the source each entry is built from: scripts/workspace.mjs), so a new
// package or entry is documented, and checked for undocumented exports, without editing this file.
import { publishedEntries, workspacePackages } from './scripts/workspace.mjs'

const packages = workspacePackages()
const entries = publishedEntries(packages)

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: '@sfauth',
  entryPoints: entries.map((e) => e.source),
  tsconfig: 'tsconfig.docs.json',
  // A flow package imports `@sfauth/core/flow`, the lock package `@sfauth/session`: each
  // resolves to the source the entry is built from, so the reference links one declaration.
  compilerOptions: { paths: Object.fromEntries(entries.map((e) => [e.specifier, [e.source]])) },
  out: 'docs/api',
  readme: 'README.md',
  disableSources: true,
  excludePrivate: true,
  excludeInternal: true,
  excludeExternals: true,
  packagesRequiringDocumentation: packages.filter((p) => p.published).map((p) => p.name),
  requiredToBeDocumented: [
    'Enum',
    'EnumMember',
    'Variable',
    'Function',
    'Class',
    'Interface',
    'TypeAlias',
    'Method',
    'Accessor',
  ],
  validation: { notExported: true, invalidLink: true, invalidPath: true, notDocumented: true },
  treatWarningsAsErrors: true,
  treatValidationWarningsAsErrors: true,
  plugin: ['./scripts/typedoc-package-names.mjs'],
}
