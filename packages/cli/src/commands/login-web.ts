import { createServer, type Server } from 'node:http'
import { Connection } from '@sfauth/core'
import { OAuth2, parseAuthorizationCallback } from '@sfauth/oauth2'
import { flags, optional, required } from '../args.js'
import { CliError, createIo, EXIT, showHelp, UsageError } from '../io.js'
import { nodeFetch } from '../node-fetch.js'
import { openStore } from '../store.js'
import { openBrowser } from './browser.js'
import { finishLogin, pendingId, savedSession } from './login-common.js'
import { readSecret, SECRET_ENV } from './secret.js'

/** The Salesforce CLI's callback port and path, which many connected apps already allow. */
const DEFAULT_PORT = 1717
const CALLBACK_PATH = '/OauthRedirect'
const DEFAULT_SCOPE = 'refresh_token api web'
const DEFAULT_TIMEOUT_S = 300

const HELP = `Usage: sfauth login web --client-id ID [--login-url URL] [--port 1717] [--scope S]
                        [--no-browser] [--timeout SECONDS] [--alias NAME] [--json]

Logs in through the browser with the OAuth 2.0 web server flow, PKCE and state. A callback
server on this machine (127.0.0.1) receives the answer at http://localhost:PORT/OauthRedirect,
which must be a callback URL of the connected app.

  --login-url URL   https://login.salesforce.com (default), https://test.salesforce.com, a My Domain
  --port PORT       callback port (default 1717, as the Salesforce CLI)
  --scope S         default "${DEFAULT_SCOPE}"
  --no-browser      print the URL instead of opening a browser (containers, SSH)
  --timeout S       give up after S seconds (default ${DEFAULT_TIMEOUT_S})
  A client secret, for apps that require one, comes from ${SECRET_ENV}.

Example:
  sfauth login web --client-id 3MVG9... --alias dev
`

export async function loginWeb(argv: string[], json: boolean): Promise<number> {
  const { values } = flags(argv, {
    'client-id': { type: 'string' },
    'login-url': { type: 'string', short: 'r' },
    port: { type: 'string', short: 'p' },
    scope: { type: 'string' },
    'no-browser': { type: 'boolean' },
    timeout: { type: 'string' },
    alias: { type: 'string', short: 'a' },
  })
  const io = createIo(json)
  if (values.help) return showHelp(io, HELP)
  const clientId = required(values, 'client-id')
  const loginUrl = (optional(values, 'login-url') ?? 'https://login.salesforce.com').replace(
    /\/+$/,
    '',
  )
  const port = Number(optional(values, 'port') ?? DEFAULT_PORT)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError('--port must be a whole number from 1 to 65535')
  }
  const timeoutS = Number(optional(values, 'timeout') ?? DEFAULT_TIMEOUT_S)
  if (!(timeoutS > 0)) throw new UsageError('--timeout must be a positive number of seconds')
  const alias = optional(values, 'alias')
  const clientSecret = process.env[SECRET_ENV] ? await readSecret(false) : undefined
  const redirectUri = `http://localhost:${port}${CALLBACK_PATH}`
  const oauth2 = new OAuth2({
    clientId,
    loginUrl,
    redirectUri,
    ...(clientSecret ? { clientSecret } : {}),
  })
  const request = await oauth2.createAuthorizationRequest({
    scope: optional(values, 'scope') ?? DEFAULT_SCOPE,
  })

  const store = await openStore()
  const id = pendingId()
  const conn = new Connection({
    fetch: nodeFetch,
    loginUrl,
    oauth2,
    flows: [savedSession(store, alias, id)],
  })
  const server = await listen(port)
  try {
    const code = waitForCode(server, request.state, timeoutS, conn, request.codeVerifier)
    const opened = values['no-browser'] ? false : await openBrowser(request.url)
    io.err(
      opened
        ? `Opened the browser to log in. If it did not open, visit:\n  ${request.url}\n`
        : `Open this URL in a browser to log in:\n  ${request.url}\n`,
    )
    io.err(
      `Waiting for the login to finish in the browser (callback ${redirectUri}, up to ${timeoutS} s; Ctrl+C to cancel)...\n`,
    )
    await code
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
  await finishLogin(io, store, conn, alias, id, {
    flow: 'web',
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    loginUrl,
    redirectUri,
  })
  return EXIT.ok
}

/** Listens on 127.0.0.1; a taken port is a clear error, not a stack trace. */
function listen(port: number): Promise<Server> {
  const server = createServer()
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new CliError(
              'ERR_PORT_IN_USE',
              `Port ${port} is taken on this machine (another sfauth or Salesforce CLI login waiting?). ` +
                `Close it, or pick another with --port N (http://localhost:N${CALLBACK_PATH} must be a callback URL of the app).`,
              EXIT.loginIncomplete,
            )
          : err,
      )
    })
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
}

/**
 * Waits for the browser to come back with the authorization code, exchanges it (with the PKCE
 * verifier) while the browser waits, and answers the browser with the outcome.
 */
function waitForCode(
  server: Server,
  state: string,
  timeoutS: number,
  conn: Connection,
  codeVerifier: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new CliError(
          'ERR_LOGIN_TIMEOUT',
          `No login arrived within ${timeoutS} s. Run the command again; with --no-browser it prints the URL to open yourself.`,
          EXIT.loginIncomplete,
        ),
      )
    }, timeoutS * 1000)
    let busy = false
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH || busy) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n')
        return
      }
      busy = true
      const answer = (status: number, title: string, text: string) =>
        res
          .writeHead(status, {
            'Content-Type': 'text/html; charset=utf-8',
            'Cache-Control': 'no-store',
            'Content-Security-Policy': "default-src 'none'",
          })
          .end(
            `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`,
          )
      Promise.resolve()
        .then(() => parseAuthorizationCallback(url.href, { state }))
        .then(({ code }) => conn.authorize(code, { code_verifier: codeVerifier }))
        .then(() => {
          answer(200, 'Logged in', 'sfauth has the session. You can close this window.')
          clearTimeout(timer)
          resolve()
        })
        .catch((error: unknown) => {
          answer(400, 'Login failed', 'sfauth could not complete the login: see the terminal.')
          clearTimeout(timer)
          reject(error)
        })
    })
  })
}
