import { DEFAULT_USER } from '@sfauth/emulator'
import {
  type BrowserContext,
  type LaunchedBrowser,
  launchChromium,
  type Page,
} from '@sfauth/test-browser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningExample, start } from '../src/server.js'

let example: RunningExample
let launched: LaunchedBrowser
let browser: BrowserContext

beforeAll(async () => {
  example = await start({ env: {}, port: 0 })
  // The headless Chromium from npm (test/browser), fresh profile, loopback only.
  launched = await launchChromium()
  browser = launched.context
})

afterAll(async () => {
  await launched?.close()
  await example?.close()
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
