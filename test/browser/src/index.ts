// The one place a test starts a browser: the headless Chromium that @sparticuz/chromium ships inside
// its npm package (no apt, no browser download), driven by playwright-core, talking to 127.0.0.1 only.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import chromium from '@sparticuz/chromium'
import { type BrowserContext, chromium as playwright } from 'playwright-core'

export type { BrowserContext, Page } from 'playwright-core'

const run = promisify(execFile)
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))

/**
 * chromium.args minus the switches that turn off the web platform's own checks: the runtime
 * matrix proves the emulator's CORS answers from a cross-origin page, and the example test relies
 * on ordinary cookie and redirect rules, so neither may run with web security off.
 */
const WEAKENING = new Set([
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
])

/** Headless, no sandbox (containers, root), and nothing that phones home. */
const LOOPBACK_ONLY = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Chromium still resolves Google hosts at start-up despite the flags above: resolve nothing but
  // the loopback address, so no query ever leaves the machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
]

/** The switches every launch uses: @sparticuz/chromium's (less the weakening ones), then ours. */
export function chromiumArgs(): string[] {
  chromium.setGraphicsMode = false // no WebGL, so no SwiftShader: --disable-webgl instead
  return [...chromium.args.filter((arg) => !WEAKENING.has(arg)), ...LOOPBACK_ONLY]
}

let unpacked: Promise<string> | undefined

/**
 * Unpacks the package's Chromium once per machine and version, then returns its path.
 * @sparticuz/chromium unpacks to `$TMPDIR/chromium` and trusts any file already there, whatever its
 * version or however half-written; so it unpacks into a fresh directory in a child process, and
 * that directory is renamed into place whole (a concurrent run that renamed first wins).
 */
export function chromiumExecutable(): Promise<string> {
  unpacked ??= (async () => {
    const manifest = join(PACKAGE_DIR, 'node_modules/@sparticuz/chromium/package.json')
    const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string }
    const dir = join(tmpdir(), `sfauth-chromium-${version}`)
    const executable = join(dir, 'chromium')
    if (existsSync(executable)) return executable
    const staging = await mkdtemp(join(tmpdir(), 'sfauth-chromium-unpack-'))
    try {
      const script =
        "const { default: c } = await import('@sparticuz/chromium'); await c.executablePath()"
      await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: PACKAGE_DIR,
        env: { ...process.env, TMPDIR: staging },
      })
      await rename(staging, dir).catch((err: unknown) => {
        if (!existsSync(executable)) throw err
      })
    } finally {
      await rm(staging, { recursive: true, force: true })
    }
    return executable
  })()
  unpacked.catch(() => {
    unpacked = undefined
  })
  return unpacked
}

/** The unpacked Chromium's own version line, e.g. `Chromium 153.0.8010.0`. */
export async function chromiumVersion(): Promise<string> {
  const { stdout } = await run(await chromiumExecutable(), ['--version'])
  return stdout.trim()
}

/** A running browser with a fresh profile; `close()` ends it and deletes the profile. */
export interface LaunchedBrowser {
  context: BrowserContext
  close(): Promise<void>
}

/** Options of {@link launchChromium}. */
export interface LaunchOptions {
  /**
   * Also resolve `localhost` (to this machine): for OAuth callbacks on `http://localhost:PORT`,
   * the form the Salesforce CLI and `sfauth login web` register. Still nothing off the machine.
   */
  localhost?: boolean
}

/** Launches headless Chromium with a fresh profile directory (no state from any earlier run). */
export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const executablePath = await chromiumExecutable()
  const profile = await mkdtemp(join(tmpdir(), 'sfauth-chromium-profile-'))
  try {
    const context = await playwright.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: options.localhost
        ? chromiumArgs().map((arg) =>
            arg.startsWith('--host-resolver-rules=') ? `${arg}, EXCLUDE localhost` : arg,
          )
        : chromiumArgs(),
    })
    return {
      context,
      async close() {
        try {
          await context.close()
        } finally {
          await rm(profile, { recursive: true, force: true })
        }
      },
    }
  } catch (err) {
    await rm(profile, { recursive: true, force: true })
    throw err
  }
}
