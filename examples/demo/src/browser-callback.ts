import { createServer } from 'node:http'

/** How long the demo waits for someone to approve in a browser. */
const WAIT_MS = 5 * 60_000

/**
 * Waits for Salesforce to redirect a browser to `redirectUri` (a loopback URL registered on the
 * connected app) and resolves with that callback URL. A real org's login page is for people:
 * the demo prints the authorization URL and someone opens it.
 */
export function browserCallbackFor(
  redirectUri: string,
  authorizationUrl: string,
  announce: (line: string) => void,
): Promise<string> {
  const expected = new URL(redirectUri)
  if (expected.protocol !== 'http:' || !['localhost', '127.0.0.1'].includes(expected.hostname)) {
    return Promise.reject(
      new TypeError(
        `SF_REDIRECT_URI must be a loopback URL such as http://localhost:1717/OauthRedirect, got ${redirectUri}`,
      ),
    )
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      server.close()
      reject(new Error(`nobody approved within ${WAIT_MS / 60_000} minutes`))
    }, WAIT_MS)
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', redirectUri)
      if (url.pathname !== expected.pathname) {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('@sfauth demo: you can close this tab and return to the terminal.')
      clearTimeout(timer)
      server.close()
      resolve(url.href)
    })
    server.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    server.listen(Number(expected.port || 80), expected.hostname, () => {
      announce(`  open this URL in a browser and approve: ${authorizationUrl}`)
    })
  })
}
