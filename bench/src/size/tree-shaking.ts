import type { Measurement } from './measure.js'
import type { Owners } from './owners.js'
import { FLOW_PACKAGES, type ImportSet } from './sets.js'

/**
 * Packages no bundle may contain, on any platform, whatever declares them, and why.
 */
export const FORBIDDEN: Record<string, string> = {
  'node-fetch-native':
    "ofetch's node build and its copy of undici; core inlines ofetch's runtime-neutral build and uses the runtime's own fetch",
}

/**
 * Dependencies a package declares for one of its entry points only: a set may bring them only
 * when it lists that entry in `packages` (jose is in @sfauth/oauth2 for `@sfauth/oauth2/openid`).
 */
export const ENTRY_DEPENDENCIES: Record<string, Record<string, string>> = {
  '@sfauth/oauth2': { jose: '@sfauth/oauth2/openid' },
}

const ENTRIES = new Set(Object.values(ENTRY_DEPENDENCIES).flatMap((deps) => Object.values(deps)))

/**
 * What a set's bundle must not contain, from esbuild's metafile: any package in {@link FORBIDDEN},
 * any package outside the closure of what the set imports, and in particular any flow it does not
 * import or a dependency that only such a flow brings (fast-xml-parser without soap-login, jose
 * without jwt or the oauth2 OpenID entry).
 * @returns one message per violation; empty when the bundle is clean.
 */
export function treeShakingViolations(
  set: ImportSet,
  measurement: Measurement,
  owners: Owners,
): string[] {
  const packages = set.packages.filter((name) => !ENTRIES.has(name))
  const allowed = owners.closure(packages)
  for (const pkg of packages) {
    for (const [dep, entry] of Object.entries(ENTRY_DEPENDENCIES[pkg] ?? {})) {
      const others = packages.filter((other) => other !== pkg)
      if (!set.packages.includes(entry) && !owners.closure(others).has(dep)) allowed.delete(dep)
    }
  }
  const present = new Map<string, number>()
  for (const input of measurement.inputs) {
    const owner = owners.ownerOf(input.path)
    present.set(owner, (present.get(owner) ?? 0) + input.bytes)
  }
  const violations: string[] = []
  for (const [owner, bytes] of present) {
    const forbidden = FORBIDDEN[owner]
    if (forbidden !== undefined) {
      violations.push(`${owner} (${bytes} bytes): never in a bundle (${forbidden})`)
      continue
    }
    if (owner === '(entry)' || allowed.has(owner)) continue
    const entryOnly = FLOW_PACKAGES.filter((flow) => ENTRY_DEPENDENCIES[flow]?.[owner])
    const from = [
      ...FLOW_PACKAGES.filter(
        (flow) => !entryOnly.includes(flow) && owners.closure([flow]).has(owner),
      ),
      ...entryOnly.map((flow) => ENTRY_DEPENDENCIES[flow]?.[owner] as string),
    ]
    const whose = from.length > 0 ? `code of ${from.join(', ')}` : 'a package'
    violations.push(`${owner} (${bytes} bytes): ${whose}, which this set does not import`)
  }
  return violations
}

/** Minified bytes per package, then per input file, largest first: what costs what. */
export function breakdown(measurement: Measurement, owners: Owners): string[] {
  const byOwner = new Map<string, number>()
  for (const input of measurement.inputs) {
    const owner = owners.ownerOf(input.path)
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + input.bytes)
  }
  return [
    ...[...byOwner]
      .sort((a, b) => b[1] - a[1])
      .map(
        ([owner, bytes]) => `${String(bytes).padStart(7)}  ${owner} (minified bytes, all files)`,
      ),
    ...measurement.inputs.map(
      (input) =>
        `${String(input.bytes).padStart(7)}    ${input.path}  [${owners.ownerOf(input.path)}]`,
    ),
  ]
}
