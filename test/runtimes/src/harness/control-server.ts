import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Emulator, EmulatorEndpoint } from '@sfauth/emulator'
import { CONTROL, type SuiteConfig, type SuiteReport } from '../suite/protocol.js'

/** The harness's loopback endpoint for one runtime's run of the suite. */
export interface ControlServer {
  url: string
  /** Resolves with the report the runtime posts. */
  report: Promise<SuiteReport>
  /** Serves this module at {@link CONTROL.bundle} (the browser's page loads it). */
  setBundle(code: string): void
  close(): Promise<void>
}

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>@sfauth runtime smoke</title></head>
<body><script type="module" src="${CONTROL.bundle}"></script></body></html>`

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
  res.end(body)
}

/**
 * Issues a code for the authorization URL a flow built, checking it asks for this app and a
 * registered redirect URI, and passing on its PKCE challenge and state: what the user's click on
 * Allow does in a browser.
 */
function approve(emu: Emulator, config: SuiteConfig, authorizeUrl: string): string {
  const url = new URL(authorizeUrl)
  if (`${url.origin}` !== config.loginUrl || url.pathname !== '/services/oauth2/authorize') {
    throw new Error(`not the emulator's authorize endpoint: ${url.origin}${url.pathname}`)
  }
  const param = (name: string) => url.searchParams.get(name) ?? undefined
  if (param('response_type') !== 'code') throw new Error('response_type is not code')
  const clientId = param('client_id')
  const redirectUri = param('redirect_uri')
  if (!clientId || !redirectUri) throw new Error('client_id or redirect_uri missing')
  const optional = {
    scope: param('scope'),
    state: param('state'),
    codeChallenge: param('code_challenge'),
    codeChallengeMethod: param('code_challenge_method'),
    nonce: param('nonce'),
  }
  return emu.approve({
    clientId,
    redirectUri,
    username: config.user.username,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  })
}

/** Starts the control server on 127.0.0.1 for one runtime. */
export async function startControl(emu: Emulator, config: SuiteConfig): Promise<ControlServer> {
  let bundle = ''
  let deliver: (report: SuiteReport) => void = () => {}
  const report = new Promise<SuiteReport>((resolve) => {
    deliver = resolve
  })

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    const route = `${req.method} ${path}`
    const handle = async () => {
      switch (route) {
        case `GET ${CONTROL.page}`:
          return send(res, 200, 'text/html; charset=utf-8', PAGE)
        case `GET ${CONTROL.bundle}`:
          return send(res, 200, 'text/javascript; charset=utf-8', bundle)
        case `GET ${CONTROL.config}`:
          return send(res, 200, 'application/json', JSON.stringify(config))
        case `POST ${CONTROL.expire}`:
          await readJson(req)
          emu.expireSessions()
          res.writeHead(204).end()
          return
        case `POST ${CONTROL.approve}`: {
          const { authorizeUrl } = (await readJson(req)) as { authorizeUrl: string }
          return send(
            res,
            200,
            'application/json',
            JSON.stringify({ code: approve(emu, config, authorizeUrl) }),
          )
        }
        case `GET ${CONTROL.count}`: {
          const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams
          const endpoint = query.get('endpoint') as EmulatorEndpoint
          const count = emu.count(endpoint, query.get('grantType') ?? undefined)
          return send(res, 200, 'application/json', JSON.stringify({ count }))
        }
        case `POST ${CONTROL.report}`:
          deliver((await readJson(req)) as SuiteReport)
          res.writeHead(204).end()
          return
        case 'GET /favicon.ico':
          res.writeHead(204).end()
          return
        default:
          return send(res, 404, 'text/plain', `no route ${route}`)
      }
    }
    handle().catch((err: unknown) => {
      send(res, 500, 'text/plain', err instanceof Error ? err.message : String(err))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('control server has no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    report,
    setBundle(code) {
      bundle = code
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
