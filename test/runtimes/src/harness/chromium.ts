import { setTimeout as delay } from 'node:timers/promises'
import { chromiumVersion, launchChromium } from '@sfauth/test-browser'
import type { ControlServer } from './control-server.js'
import { type RunResult, type Runtime, TIMEOUT_MS } from './runtime.js'

/**
 * Loads the control server's page in a fresh browser. The page's origin is the control server,
 * so every call the suite makes to the emulator is cross-origin and needs the emulator's CORS.
 */
async function drive(control: ControlServer): Promise<RunResult> {
  const browser = await launchChromium()
  const log: string[] = []
  try {
    const { context } = browser
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
    await browser.close()
  }
}

/** The headless Chromium from npm (test/browser, shared with the browser tests), via playwright-core. */
export const CHROMIUM_RUNTIME: Runtime = {
  name: 'chromium',
  target: 'browser',
  agent: /HeadlessChrome\//,
  entry: 'script',
  version: chromiumVersion,
  run: (_bundle, control) => drive(control),
}
