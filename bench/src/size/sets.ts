import { workspacePackages } from '../../../scripts/workspace.mjs'

/** One realistic import set: what an app that uses these flows writes at the top of a module. */
export interface ImportSet {
  /** Key in budgets.json and the name printed. */
  name: string
  /** The @sfauth packages the set imports (core is in every set), and entries such as `@sfauth/oauth2/openid`. */
  packages: string[]
  /** The module the set's bundle is made from. */
  source: string
}

const packages = workspacePackages()

/** `export { A, B } from 'pkg'`: what an app writes at the top of a module. */
const reexport = (name: string, imports: string[]) =>
  `export { ${imports.join(', ')} } from '${name}'`

const core = packages.find((p) => p.sfauth?.role === 'core')
if (!core?.sfauth?.imports)
  throw new Error('no package with "sfauth": { "role": "core", "imports" }')
const CORE = reexport(core.name, core.sfauth.imports)

/**
 * Every package besides core that an app bundles, and what an app imports from it: the
 * "sfauth.imports" of its package.json (scripts/workspace.mjs). A package that is never bundled
 * says why in "sfauth.notBundled" instead.
 */
export const FLOW_IMPORTS: Record<string, string> = Object.fromEntries(
  packages
    .filter((p) => p !== core && p.sfauth?.imports)
    .map((p) => [p.name, reexport(p.name, p.sfauth?.imports ?? [])]),
)

export const FLOW_PACKAGES = Object.keys(FLOW_IMPORTS)

/** `@sfauth/oauth2/openid`: its own entry so that jose reaches only the bundles that import it. */
const OAUTH2_OPENID = `export { verifyIdToken } from '@sfauth/oauth2/openid'`

function set(name: string, flows: string[]): ImportSet {
  return {
    name,
    packages: ['@sfauth/core', ...flows],
    source: [CORE, ...flows.map((flow) => FLOW_IMPORTS[flow])].join('\n'),
  }
}

/** Core alone, core with each package an app bundles, the common session + OAuth pair, and everything. */
export const IMPORT_SETS: ImportSet[] = [
  set('core', []),
  ...FLOW_PACKAGES.map((flow) => set(`core + ${flow.replace('@sfauth/', '')}`, [flow])),
  set('core + session + oauth2', ['@sfauth/session', '@sfauth/oauth2']),
  // The OpenID entry of oauth2 (id_token verification with jose), on top of the OAuth2 flow.
  {
    name: 'core + oauth2 + openid',
    packages: ['@sfauth/core', '@sfauth/oauth2', '@sfauth/oauth2/openid'],
    source: [CORE, FLOW_IMPORTS['@sfauth/oauth2'], OAUTH2_OPENID].join('\n'),
  },
  set('everything', FLOW_PACKAGES),
]

/** jsforce's connection, bundled the same way for comparison (jsforce is a bench-only dependency). */
export const JSFORCE: ImportSet = {
  name: 'jsforce Connection',
  packages: ['jsforce'],
  source: `export { Connection } from 'jsforce'`,
}
