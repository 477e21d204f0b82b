import { execFileSync } from 'node:child_process'
import { setTimeout as delay } from 'node:timers/promises'
import type { ControlServer } from './control-server.js'
import { inScratch, type RunResult, type Runtime, TIMEOUT_MS } from './runtime.js'

/** Debian's Chromium (installed by apt in CI); no browser is downloaded by a test tool. */
const CHROMIUM = '/usr/bin/chromium'

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Chromium looks up Google hosts at start-up despite the flags above: resolve nothing but the
  // loopback address, so no query leaves the machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
]

/**
 * Loads the control server's page with a fresh profile. The page's origin is the control server,
 * so every call the suite makes to the emulator is cross-origin and needs the emulator's CORS.
 */
async function drive(profile: string, control: ControlServer): Promise<RunResult> {
  const { chromium } = await import('playwright-core')
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
  })
  const log: string[] = []
  try {
    const page = context.pages()[0] ?? (await context.newPage())
    let crashed: (reason: string) => void = () => {}
    const crash = new Promise<string>((resolve) => {
      crashed = resolve
    })
    page.on('console', (msg) => log.push(`console.${msg.type()}: ${msg.text()}`))
    page.on('requestfailed', (req) =>
      log.push(`requestfailed: ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`),
    )
    // An uncaught error means the suite stopped before reporting: no need to wait the timeout out.
    page.on('pageerror', (err) => {
      log.push(`pageerror: ${err.message}`)
      crashed(err.message)
    })
    await page.goto(control.url)
    const outcome = await Promise.race([
      control.report.then(() => 'reported'),
      crash,
      delay(TIMEOUT_MS, `no report after ${TIMEOUT_MS} ms`, { ref: false }),
    ])
    if (outcome !== 'reported') log.unshift(outcome)
    return { diagnostics: log.join('\n') }
  } catch (err) {
    return { diagnostics: [String(err), ...log].join('\n') }
  } finally {
    await context.close()
  }
}

/** A real headless Chromium driven by playwright-core. */
export const CHROMIUM_RUNTIME: Runtime = {
  name: 'chromium',
  target: 'browser',
  agent: /HeadlessChrome\//,
  entry: 'script',
  async version() {
    return execFileSync(CHROMIUM, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim()
  },
  run: (_bundle, control) => inScratch((profile) => drive(profile, control)),
}
