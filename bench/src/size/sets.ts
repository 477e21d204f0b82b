/** One realistic import set: what an app that uses these flows writes at the top of a module. */
export interface ImportSet {
  /** Key in budgets.json and the name printed. */
  name: string
  /** The @sfauth packages the set imports (core is in every set), and entries such as `@sfauth/oauth2/openid`. */
  packages: string[]
  /** The module the set's bundle is made from. */
  source: string
}

const CORE = `export { Connection, SfAuthError } from '@sfauth/core'`

/** The flows and the exports an app imports from each. */
export const FLOW_IMPORTS: Record<string, string> = {
  '@sfauth/oauth2': `export { OAuth2 } from '@sfauth/oauth2'`,
  '@sfauth/soap-login': `export { soapLogin } from '@sfauth/soap-login'`,
  '@sfauth/jwt': `export { jwtBearer, JWT_BEARER_GRANT_TYPE } from '@sfauth/jwt'`,
  '@sfauth/client-credentials': `export { clientCredentials } from '@sfauth/client-credentials'`,
  '@sfauth/session': `export { session } from '@sfauth/session'`,
  '@sfauth/token-exchange': `export { tokenExchange, TOKEN_EXCHANGE_GRANT_TYPE } from '@sfauth/token-exchange'`,
}

export const FLOW_PACKAGES = Object.keys(FLOW_IMPORTS)

/** `@sfauth/core/frontdoor`: its own entry, so only an app that opens a browser bundles it. */
const CORE_FRONTDOOR = `export { frontdoorUrl } from '@sfauth/core/frontdoor'`

/** `@sfauth/oauth2/openid`: its own entry so that jose reaches only the bundles that import it. */
const OAUTH2_OPENID = `export { verifyIdToken } from '@sfauth/oauth2/openid'`

function set(name: string, flows: string[]): ImportSet {
  return {
    name,
    packages: ['@sfauth/core', ...flows],
    source: [CORE, ...flows.map((flow) => FLOW_IMPORTS[flow])].join('\n'),
  }
}

/** Core alone, core with each single flow, the common session + OAuth pair, and everything. */
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
  // A single-use frontdoor URL ("open the org in a browser") on top of the OAuth2 flow; the
  // core + oauth2 set above must not grow for it.
  {
    name: 'core + oauth2 + frontdoor',
    packages: ['@sfauth/core', '@sfauth/oauth2'],
    source: [CORE, FLOW_IMPORTS['@sfauth/oauth2'], CORE_FRONTDOOR].join('\n'),
  },
  set('everything', FLOW_PACKAGES),
]

/** jsforce's connection, bundled the same way for comparison (jsforce is a bench-only dependency). */
export const JSFORCE: ImportSet = {
  name: 'jsforce Connection',
  packages: ['jsforce'],
  source: `export { Connection } from 'jsforce'`,
}
