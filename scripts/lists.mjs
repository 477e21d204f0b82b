// `pnpm lists`: the files written from the workspace's one list of packages (scripts/workspace.mjs)
// are up to date, and each package's "sfauth" field is complete; `pnpm lists --write` rewrites
// them. Written: the packages table of the root README (between its `packages` markers) and
// core's ERR_NO_FLOW hints (packages/core/src/grant-hints.ts). test/workspace runs the check in
// `pnpm test`.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { grantHints, metadataProblems, ROOT, workspacePackages } from './workspace.mjs'

export const TABLE_START =
  '<!-- packages: written by `pnpm lists --write` from packages/*/package.json -->'
export const TABLE_END = '<!-- /packages -->'

/**
 * The README's packages table.
 * @param {import('./workspace.mjs').WorkspacePackage[]} pkgs
 */
export function packagesTable(pkgs) {
  const rows = pkgs
    .filter((p) => p.published && p.sfauth)
    .map((p) => `| [\`${p.name}\`](packages/${p.dir}/README.md) | ${p.sfauth?.summary} |`)
  return ['| package | what it is |', '|---|---|', ...rows].join('\n')
}

/**
 * packages/core/src/grant-hints.ts: core never imports a flow, so the grant types the flow
 * packages declare are written into it.
 * @param {import('./workspace.mjs').WorkspacePackage[]} pkgs
 */
export function grantHintsModule(pkgs) {
  const entries = grantHints(pkgs).map(
    ([grant, hint]) => `  ${JSON.stringify(grant)}: ${JSON.stringify(hint)},`,
  )
  return formatted(
    'packages/core/src/grant-hints.ts',
    [
      '// Written by `pnpm lists --write` from the "sfauth.grants" field of each package.json: edit',
      '// those, not this file (a flow package adds its grant types there; `pnpm test` checks this file).',
      '',
      '/** Which package to register for a grant type no registered flow handles. */',
      'export const GRANT_HINTS: Readonly<Record<string, string>> = {',
      ...entries,
      '}',
      '',
    ].join('\n'),
  )
}

/**
 * `source` as the repository's formatter (biome) writes it, so that `pnpm lint` and this check
 * agree on the written file.
 * @param {string} path where the file goes, relative to the root (biome picks its rules by path)
 * @param {string} source
 */
function formatted(path, source) {
  return execFileSync(
    join(ROOT, 'node_modules/.bin/biome'),
    ['format', `--stdin-file-path=${path}`],
    {
      cwd: ROOT,
      input: source,
      encoding: 'utf8',
    },
  )
}

/**
 * `text` with the part between `start` and `end` replaced by `body`.
 * @param {string} text @param {string} start @param {string} end @param {string} body
 * @returns {string | undefined} undefined when the markers are missing
 */
export function replaceBetween(text, start, end, body) {
  const from = text.indexOf(start)
  const to = text.indexOf(end, from)
  if (from === -1 || to === -1) return undefined
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`
}

/**
 * Each written file, what it holds and what it should hold.
 * @param {string} [root]
 * @returns {{ file: string, actual: string, expected: string | undefined, problem?: string }[]}
 */
export function writtenFiles(root = ROOT) {
  const pkgs = workspacePackages(root)
  const readme = join(root, 'README.md')
  const readmeText = readFileSync(readme, 'utf8')
  const table = replaceBetween(readmeText, TABLE_START, TABLE_END, packagesTable(pkgs))
  const hints = join(root, 'packages/core/src/grant-hints.ts')
  return [
    {
      file: readme,
      actual: readmeText,
      expected: table,
      ...(table === undefined
        ? { problem: `README.md has no "${TABLE_START}" ... "${TABLE_END}" markers` }
        : {}),
    },
    { file: hints, actual: readOr(hints), expected: grantHintsModule(pkgs) },
  ]
}

/** @param {string} file */
function readOr(file) {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

/**
 * Everything `pnpm lists` would report, one sentence each.
 * @param {string} [root]
 * @returns {string[]}
 */
export function listProblems(root = ROOT) {
  const problems = metadataProblems(workspacePackages(root))
  for (const f of writtenFiles(root)) {
    const rel = f.file.slice(root.length).replace(/^\//, '')
    if (f.problem) problems.push(f.problem)
    else if (f.actual !== f.expected) {
      problems.push(`${rel} is out of date with packages/*/package.json: run pnpm lists --write`)
    }
  }
  return problems
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--write')) {
    for (const f of writtenFiles()) {
      if (f.expected !== undefined && f.expected !== f.actual) {
        writeFileSync(f.file, f.expected)
        console.log(`wrote ${f.file.slice(ROOT.length)}`)
      }
    }
  }
  const problems = listProblems()
  for (const problem of problems) console.error(problem)
  process.exitCode = problems.length > 0 ? 1 : 0
}
