import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { InstanceHandler } from './emulator.js'
import { allowedHostSet, checkHost, type Refusal, readBody } from './server-guard.js'
import { selfSignedPair, type TlsPair } from './server-tls.js'
import type { EmulatorServer, ListenOptions } from './types.js'

/**
 * The Node-specific entry: serves the emulator over real HTTP or HTTPS, on 127.0.0.1 unless told
 * otherwise. The server's own URL is the instance URL, and it counts as a My Domain host.
 */
export async function startServer(
  handler: InstanceHandler,
  port: number,
  options: ListenOptions = {},
): Promise<EmulatorServer> {
  const host = options.host ?? '127.0.0.1'
  const allowed = allowedHostSet(options.allowedHosts)
  let url = ''
  const listener: RequestListener = (req, res) => {
    const refusal = checkHost(req, allowed)
    if (refusal) return refuse(req, res, refusal)
    toRequest(req, url)
      .then((request) => {
        if (!(request instanceof Request)) return refuse(req, res, request)
        return handler(request, url).then((response) => send(res, response))
      })
      .catch((error: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain;charset=UTF-8' })
        res.end(error instanceof Error ? error.message : 'Internal error')
      })
  }
  const tls = await tlsPair(options, host)
  const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('Emulator server has no TCP address')
  url = `${tls ? 'https' : 'http'}://${urlHost(host)}:${address.port}`
  return {
    url,
    ...(tls ? { certificate: tls.cert } : {}),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/** The certificate to serve: the caller's, or a self-signed one made now for `tls: true`. */
async function tlsPair(options: ListenOptions, host: string): Promise<TlsPair | undefined> {
  if (!options.tls) return undefined
  if (options.tls === true) return selfSignedPair([host, ...(options.allowedHosts ?? [])])
  return options.tls
}

/** The host part of the server's URL: the address it listens on, or 127.0.0.1 for a wildcard. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

/**
 * Answers a refused request and closes its connection without reading the rest of its body: the
 * socket ends once the answer is out, so a client still sending gets the answer, not a reset.
 */
function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
  const socket = req.socket
  req.pause()
  res.writeHead(refusal.status, { 'Content-Type': 'text/plain;charset=UTF-8', Connection: 'close' })
  res.end(refusal.message, () => socket?.destroySoon())
}

/** Keeps the Host the client used when it is a loopback name, so `localhost` callers see it back. */
function requestOrigin(req: IncomingMessage, serverUrl: string): string {
  const host = req.headers.host
  const port = new URL(serverUrl).port
  const scheme = new URL(serverUrl).protocol
  return host === `localhost:${port}` || host === `[::1]:${port}` ? `${scheme}//${host}` : serverUrl
}

async function toRequest(req: IncomingMessage, serverUrl: string): Promise<Request | Refusal> {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else if (value !== undefined) headers.set(name, value)
  }
  const method = req.method ?? 'GET'
  let body: Uint8Array<ArrayBuffer> | undefined
  if (method !== 'GET' && method !== 'HEAD') {
    const read = await readBody(req)
    if (!(read instanceof Uint8Array)) return read
    body = read
  }
  return new Request(`${requestOrigin(req, serverUrl)}${req.url ?? '/'}`, {
    method,
    headers,
    ...(body ? { body } : {}),
  })
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  res.writeHead(response.status, headers)
  res.end(Buffer.from(await response.arrayBuffer()))
}
