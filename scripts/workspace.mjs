// The one list of packages is the workspace itself: packages/*/package.json, each with an "sfauth"
// field for what the rest of the repository needs to know about it. Everything else that names the
// packages is derived from here (TypeDoc's entry points, the runtime matrix, the bundle-size sets,
// the README's packages table, core's ERR_NO_FLOW hints) or checked against it (test/workspace).
// Plain JavaScript with JSDoc types: typedoc.config.mjs and the scripts load it with Node as it is.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root, with a trailing slash. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The order of the roles in lists and tables: what an app starts from, then what it adds. */
export const ROLES = /** @type {const} */ (['core', 'flow', 'lock', 'tool'])

/**
 * @typedef {object} SfauthMeta The "sfauth" field of a published package's package.json.
 * @property {(typeof ROLES)[number]} role `core`; `flow` (a package that makes a `Flow`); `lock`
 *   (a `SessionLock` or store backend for `session()`); `tool` (the emulator, a command).
 * @property {string} summary Its row in the README's packages table (Markdown).
 * @property {Record<string, string>} [grants] For a flow: each grant type it answers in
 *   `conn.authorize({ grant_type })`, with how to register it (`'clientCredentials()'`). Core's
 *   `ERR_NO_FLOW` message names the package from these (packages/core/src/grant-hints.ts).
 * @property {string[]} [imports] What an app imports from the main entry: `pnpm size` measures
 *   core plus these as the set `core + <dir>`, and every flow together as `everything`.
 * @property {string} [notBundled] Why the package has no bundle-size set (exactly one of
 *   `imports` and `notBundled`).
 * @property {boolean} [runtimeSuite] Run by the runtime matrix (`pnpm test:runtimes`) in every
 *   runtime: test/runtimes/src/suite/cases/<dir>.ts is its case.
 * @property {string} [noDemo] For a flow: why `pnpm demo` has no step that uses it.
 */

/**
 * @typedef {object} Entry One entry of a package's `exports` map.
 * @property {string} specifier What an import names: `@sfauth/core/flow`.
 * @property {string} dist The declaration file it points at, relative to the package.
 * @property {string | undefined} source The source file it is built from (absolute), found as
 *   src/<name>.ts, src/<name>/index.ts or src/node/<name>.ts for dist/<name>.d.ts.
 */

/**
 * @typedef {object} WorkspacePackage
 * @property {string} dir The directory under packages/: `client-credentials`.
 * @property {string} path Its absolute path.
 * @property {string} name `@sfauth/client-credentials`.
 * @property {boolean} published Not `"private": true`.
 * @property {Record<string, any>} json The whole package.json.
 * @property {SfauthMeta | undefined} sfauth
 * @property {Entry[]} entries
 */

/** @param {string} path @param {string} key */
function sourceOf(path, key) {
  const name = /^\.\/dist\/(.+)\.d\.m?ts$/.exec(key)?.[1]
  if (!name) return undefined
  return [`src/${name}.ts`, `src/${name}/index.ts`, `src/node/${name}.ts`]
    .map((file) => join(path, file))
    .find((file) => existsSync(file))
}

/**
 * @param {string} name
 * @param {string} path
 * @param {Record<string, any>} json
 * @returns {Entry[]}
 */
function entriesOf(name, path, json) {
  return Object.entries(json.exports ?? {})
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, target]) => {
      const dist = typeof target === 'string' ? target : (target.types ?? target.default)
      return {
        specifier: subpath === '.' ? name : `${name}${subpath.slice(1)}`,
        dist,
        source: sourceOf(path, dist),
      }
    })
}

/**
 * Every package under packages/, in table order: by role (core, flows, locks, tools), then by
 * directory name. A package without an "sfauth" field sorts last.
 * @param {string} [root] the repository root (tests pass a scratch copy)
 * @returns {WorkspacePackage[]}
 */
export function workspacePackages(root = ROOT) {
  const dir = join(root, 'packages')
  /** @param {WorkspacePackage} p */
  const rank = (p) => {
    const i = p.sfauth ? ROLES.indexOf(p.sfauth.role) : -1
    return i === -1 ? ROLES.length : i
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'package.json')))
    .map((d) => {
      const path = join(dir, d.name)
      const json = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'))
      return {
        dir: d.name,
        path,
        name: json.name,
        published: json.private !== true,
        json,
        sfauth: json.sfauth,
        entries: entriesOf(json.name, path, json),
      }
    })
    .sort((a, b) => rank(a) - rank(b) || a.dir.localeCompare(b.dir))
}

/**
 * What is wrong with the packages' "sfauth" fields and entries, one sentence each naming the
 * package: the checks a new package meets before anything is derived from it.
 * @param {WorkspacePackage[]} pkgs
 * @returns {string[]}
 */
export function metadataProblems(pkgs) {
  /** @type {string[]} */
  const problems = []
  const grantOwners = new Map()
  for (const p of pkgs.filter((p) => p.published)) {
    const at = `packages/${p.dir}/package.json`
    const meta = p.sfauth
    if (!meta) {
      problems.push(`${at}: no "sfauth" field (role, summary, ...: see scripts/workspace.mjs)`)
      continue
    }
    if (!ROLES.includes(meta.role)) {
      problems.push(`${at}: "sfauth.role" must be one of ${ROLES.join(', ')}`)
    }
    if (typeof meta.summary !== 'string' || meta.summary === '') {
      problems.push(`${at}: "sfauth.summary" (its row in the README's packages table) is missing`)
    }
    if ((meta.imports === undefined) === (meta.notBundled === undefined)) {
      problems.push(
        `${at}: give exactly one of "sfauth.imports" (what an app imports: its bundle-size set) and "sfauth.notBundled" (why it has none)`,
      )
    }
    for (const grant of Object.keys(meta.grants ?? {})) {
      const other = grantOwners.get(grant)
      if (other) problems.push(`${at}: grant type ${grant} is already answered by ${other}`)
      grantOwners.set(grant, p.name)
    }
    for (const entry of p.entries) {
      if (!entry.source) {
        problems.push(
          `${at}: no source file for ${entry.specifier} (${entry.dist}): expected src/<name>.ts, src/<name>/index.ts or src/node/<name>.ts`,
        )
      }
    }
  }
  return problems
}

/**
 * Each grant type a flow package answers, with the package to register: core's `ERR_NO_FLOW` hint.
 * @param {WorkspacePackage[]} pkgs
 * @returns {[string, string][]}
 */
export function grantHints(pkgs) {
  return pkgs.flatMap((p) =>
    Object.entries(p.sfauth?.grants ?? {}).map(
      ([grant, how]) => /** @type {[string, string]} */ ([grant, `${p.name} (${how})`]),
    ),
  )
}

/**
 * Every published entry and the source it is built from: TypeDoc's entry points, and the path
 * mapping the docs check compiles code blocks with.
 * @param {WorkspacePackage[]} pkgs
 * @returns {{ specifier: string, source: string }[]}
 */
export function publishedEntries(pkgs) {
  return pkgs
    .filter((p) => p.published)
    .flatMap((p) => p.entries)
    .filter((e) => e.source !== undefined)
    .map((e) => ({ specifier: e.specifier, source: /** @type {string} */ (e.source) }))
}
