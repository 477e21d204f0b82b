import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  chromiumArgs,
  chromiumVersion,
  type LaunchedBrowser,
  launchChromium,
} from '../src/index.js'

/** A loopback server; `/cors` answers any origin, `/plain` sends no CORS header at all. */
function listen(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/cors') res.setHeader('access-control-allow-origin', '*')
    res.setHeader('content-type', req.url === '/' ? 'text/html' : 'text/plain')
    res.end(req.url === '/' ? '<title>page</title>' : 'answer')
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({ server, url: `http://127.0.0.1:${port}` })
    })
  })
}

let browser: LaunchedBrowser
let page: Awaited<ReturnType<typeof listen>>
let api: Awaited<ReturnType<typeof listen>>

beforeAll(async () => {
  ;[page, api] = await Promise.all([listen(), listen()])
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  page?.server.close()
  api?.server.close()
})

/** Runs fetch(url) in the page and says whether the page could read the answer. */
function fetchFromPage(tab: import('playwright-core').Page, url: string): Promise<string> {
  return tab.evaluate(
    (u) =>
      fetch(u).then(
        (r) => r.text(),
        (e: unknown) => `refused: ${String(e)}`,
      ),
    url,
  )
}

describe('the shared headless Chromium', () => {
  it('is the Chromium from the npm package, with the loopback-only switches', async () => {
    expect(await chromiumVersion()).toMatch(/^Chromium \d+\./)
    const args = chromiumArgs()
    expect(args).toContain('--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1')
    expect(args).toContain('--disable-background-networking')
  })

  it('keeps web security on: a cross-origin answer without CORS headers stays unreadable', async () => {
    const tab = await browser.context.newPage()
    await tab.goto(`${page.url}/`)
    expect(await tab.title()).toBe('page')
    expect(await fetchFromPage(tab, `${api.url}/cors`)).toBe('answer')
    expect(await fetchFromPage(tab, `${api.url}/plain`)).toMatch(/^refused: TypeError/)
    await tab.close()
  })
})
