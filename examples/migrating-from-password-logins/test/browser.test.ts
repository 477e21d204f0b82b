import { createEmulator, DEFAULT_APP, DEFAULT_USER, type EmulatorServer } from '@sfauth/emulator'
import { type LaunchedBrowser, launchChromium } from '@sfauth/test-browser'
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as afterJwtBearer from '../src/after-jwt-bearer.js'
import { openOrg } from '../src/open-in-browser.js'

let server: EmulatorServer
let launched: LaunchedBrowser
let privateKey: string

beforeAll(async () => {
  const keys = await generateKeyPair('RS256', { extractable: true })
  privateKey = await exportPKCS8(keys.privateKey)
  const emu = createEmulator({
    blockUsernamePasswordFlow: true,
    apps: [
      { ...DEFAULT_APP },
      {
        clientId: 'integration-app',
        externalClientApp: true,
        publicKey: await exportSPKI(keys.publicKey),
      },
    ],
  })
  server = await emu.listen(0)
  // The headless Chromium from npm (test/browser), fresh profile, loopback only.
  launched = await launchChromium()
})

afterAll(async () => {
  await launched?.close()
  await server?.close()
})

describe('opening the org in a real Chromium with a single-use frontdoor URL', () => {
  it('logs the browser in as the JWT bearer user once; the same URL is spent after', async () => {
    const conn = await afterJwtBearer.connect({
      SF_LOGIN_URL: server.url,
      SF_CLIENT_ID: 'integration-app',
      SF_USERNAME: DEFAULT_USER.username,
      SF_PRIVATE_KEY: privateKey,
    })
    const page = await launched.context.newPage()
    let opened = ''
    await openOrg(conn, {
      goto: (url) => {
        opened = url
        return page.goto(url)
      },
    })
    expect(new URL(opened).pathname).toBe('/secur/frontdoor.jsp')
    expect(page.url()).toBe(`${server.url}/lightning/page/home`)
    expect(await page.textContent('p')).toBe(`Logged in as ${DEFAULT_USER.fullName}`)

    // A fresh cookie jar and the same URL: Salesforce sends that browser to log in instead.
    await launched.context.clearCookies()
    await page.goto(opened)
    expect(new URL(page.url()).searchParams.get('ec')).toBe('302')
    await page.goto(`${server.url}/lightning/page/home`)
    expect(new URL(page.url()).pathname).toBe('/')
  })
})
