// `pnpm check:packages`: pack every published package the way it would be published, then check
// the tarball: exports point at files that are in it, its runtime files are lean (ASCII, no JSDoc:
// ./lean.ts), publint finds no error, and @arethetypeswrong/cli finds the types under node16 (ESM)
// and bundler resolution.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { missingTargets } from './exports.js'
import { leanProblems } from './lean.js'

const run = promisify(execFile)
const PACKAGES_DIR = fileURLToPath(new URL('../../../packages', import.meta.url))
const BENCH_DIR = fileURLToPath(new URL('../..', import.meta.url))

interface Check {
  name: string
  ok: boolean
  output: string
}

/** Runs a command; a non-zero exit is a failed check, not an exception. */
async function command(name: string, file: string, args: string[], cwd: string): Promise<Check> {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      maxBuffer: 16 * 1024 * 1024,
    })
    return { name, ok: true, output: `${stdout}${stderr}`.trim() }
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string }
    return { name, ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || e.message }
  }
}

function published(): { dir: string; name: string }[] {
  return readdirSync(PACKAGES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(PACKAGES_DIR, entry.name))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => pkg.private !== true)
    .map(({ dir, pkg }) => ({ dir, name: pkg.name as string }))
}

async function checkPackage(dir: string, name: string, work: string): Promise<Check[]> {
  const out = join(work, name.replace('/', '__'))
  mkdirSync(out, { recursive: true })
  // pnpm pack rewrites workspace: ranges to real versions, as publishing does.
  const pack = await command('pack', 'pnpm', ['pack', '--pack-destination', out], dir)
  const tarball = readdirSync(out).find((file) => file.endsWith('.tgz'))
  if (!pack.ok || !tarball) return [{ ...pack, ok: false }]
  const tgz = join(out, tarball)

  const unpacked = join(out, 'unpacked')
  mkdirSync(unpacked)
  await run('tar', ['-xzf', tgz, '-C', unpacked])
  const root = join(unpacked, 'package')
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const missing = missingTargets(pkg, root)
  const exportsCheck: Check = {
    name: 'exports',
    ok: missing.length === 0 && pkg.exports !== undefined,
    output:
      pkg.exports === undefined
        ? 'no exports map'
        : missing.map((target) => `points at a file not in the tarball: ${target}`).join('\n'),
  }
  const workspaceRanges = JSON.stringify(pkg).includes('workspace:')
  const rangesCheck: Check = {
    name: 'ranges',
    ok: !workspaceRanges,
    output: workspaceRanges ? 'a workspace: range survived packing' : '',
  }

  const lean = leanProblems(root)
  const leanCheck: Check = { name: 'lean', ok: lean.length === 0, output: lean.join('\n') }

  const bin = (tool: string) => join(BENCH_DIR, 'node_modules/.bin', tool)
  const publint = await command(
    'publint',
    bin('publint'),
    ['run', tgz, '--level', 'suggestion'],
    BENCH_DIR,
  )
  // ESM-only packages: node10 and CommonJS-from-node16 resolution are not asked for; node16 (ESM)
  // and bundler resolution must find the types. Packages ship their own types: no @types lookup.
  const attw = await command(
    'attw',
    bin('attw'),
    [
      tgz,
      '--profile',
      'esm-only',
      '--no-definitely-typed',
      '--format',
      'ascii',
      '--no-emoji',
      '--no-color',
    ],
    BENCH_DIR,
  )
  return [pack, exportsCheck, rangesCheck, leanCheck, publint, attw]
}

async function main(): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'sfauth-pack-'))
  let failed = 0
  let passed = 0
  try {
    for (const { dir, name } of published()) {
      const checks = await checkPackage(dir, name, work)
      for (const check of checks) {
        if (check.ok) passed++
        else failed++
        console.log(`${check.ok ? 'ok  ' : 'FAIL'} ${name.padEnd(28)} ${check.name}`)
        // publint's suggestions and warnings are shown even when they do not fail the check.
        const show = check.ok ? (check.name === 'publint' ? check.output : '') : check.output
        const lines = show
          .split('\n')
          .filter(
            (line) =>
              line.trim() &&
              !/^Running publint|^Packing files|^Unpacking tarball|^Linting\.\.\.|^All good|No problems found|^\S+\.tgz$/i.test(
                line,
              ),
          )
        for (const line of lines) console.log(`       | ${line}`)
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  console.log(`${passed} passed, ${failed} failed`)
  return failed === 0 && passed > 0 ? 0 : 1
}

process.exit(await main())
