import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_USER } from '@sfauth/emulator'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningExample, start } from '../src/server.js'

/** Debian's chromium package; `.ci/run` installs it when missing. */
const CHROMIUM = '/usr/bin/chromium'
/** Headless, no sandbox (containers), and nothing that phones home: only 127.0.0.1 is reached. */
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Chromium still resolves accounts.google.com at start-up despite the flags above: resolve
  // nothing but the loopback address, so no query ever leaves the machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
]

let example: RunningExample
let profile: string
let browser: BrowserContext

beforeAll(async () => {
  example = await start({ env: {}, port: 0 })
  profile = await mkdtemp(join(tmpdir(), 'sfauth-chromium-'))
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
  })
})

afterAll(async () => {
  await browser?.close()
  await example?.close()
  if (profile) await rm(profile, { recursive: true, force: true })
})

/** Opens /oauth2/auth and signs in on the emulator's login page, up to its consent page. */
async function signIn(page: Page): Promise<URL> {
  await page.goto(`${example.url}/oauth2/auth`)
  const authorize = new URL(page.url())
  expect(authorize.origin).toBe(new URL(example.loginUrl).origin)
  expect(authorize.pathname).toBe('/services/oauth2/authorize')
  await page.fill('#username', DEFAULT_USER.username)
  await page.fill('#password', DEFAULT_USER.password)
  await page.click('#Login')
  await page.waitForSelector('#oaapprove')
  return authorize
}

describe('the express web server example in a real Chromium', () => {
  it('Allow: redirects to login and consent, then shows the user id and org id', async () => {
    const page = await browser.newPage()
    const authorize = await signIn(page)
    const q = authorize.searchParams
    expect(q.get('response_type')).toBe('code')
    expect(q.get('redirect_uri')).toBe(`${example.url}/oauth2/callback`)
    expect(q.get('code_challenge_method')).toBe('S256')
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(q.get('state')).toMatch(/^[\w-]{22,}$/)

    await page.click('#oaapprove')
    await page.waitForSelector('#user-id')
    const callback = new URL(page.url())
    expect(`${callback.origin}${callback.pathname}`).toBe(`${example.url}/oauth2/callback`)
    expect(callback.searchParams.get('state')).toBe(q.get('state'))
    expect(await page.textContent('#user-id')).toBe(DEFAULT_USER.userId)
    expect(await page.textContent('#org-id')).toBe(DEFAULT_USER.orgId)
    expect(await page.textContent('#instance-url')).toBe(new URL(example.loginUrl).origin)

    // The state and verifier were single use: replaying the callback does not log in again.
    const replay = await page.goto(callback.href)
    expect(replay?.status()).toBe(400)
    expect(await page.textContent('#error-code')).toBe('no_login_in_progress')
    await page.close()
  })

  it('Deny: lands on the callback with the access_denied error', async () => {
    const page = await browser.newPage()
    await signIn(page)
    await page.click('#oadeny')
    await page.waitForSelector('#error-code')
    expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied')
    expect(await page.textContent('#error-code')).toBe('access_denied')
    expect(await page.textContent('#error-message')).toBe('end-user denied authorization')
    await page.close()
  })

  it('rejects a callback whose state belongs to no login of this browser', async () => {
    const page = await browser.newPage()
    await page.goto(`${example.url}/oauth2/auth`)
    const forged = await page.goto(`${example.url}/oauth2/callback?code=stolen&state=forged`)
    expect(forged?.status()).toBe(400)
    expect(await page.textContent('#error-code')).toBe('ERR_STATE_MISMATCH')
    await page.close()
  })
})
