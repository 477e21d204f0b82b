import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { InstanceHandler } from './emulator.js'
import type { EmulatorServer } from './types.js'

/**
 * The only Node-specific file: serves the emulator over real HTTP on 127.0.0.1. The server's own
 * URL is the instance URL, and it counts as a My Domain host.
 */
export async function startServer(handler: InstanceHandler, port: number): Promise<EmulatorServer> {
  let url = ''
  const server = createServer((req, res) => {
    toRequest(req, url)
      .then((request) => handler(request, url))
      .then((response) => send(res, response))
      .catch((error: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain;charset=UTF-8' })
        res.end(error instanceof Error ? error.message : 'Internal error')
      })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('Emulator server has no TCP address')
  url = `http://127.0.0.1:${address.port}`
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/** Keeps the Host the client used when it is a loopback name, so `localhost` callers see it back. */
function requestOrigin(req: IncomingMessage, serverUrl: string): string {
  const host = req.headers.host
  const port = new URL(serverUrl).port
  return host === `localhost:${port}` || host === `[::1]:${port}` ? `http://${host}` : serverUrl
}

async function toRequest(req: IncomingMessage, serverUrl: string): Promise<Request> {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else if (value !== undefined) headers.set(name, value)
  }
  const method = req.method ?? 'GET'
  let body: Uint8Array<ArrayBuffer> | undefined
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Uint8Array[] = []
    for await (const chunk of req) chunks.push(chunk as Uint8Array)
    body = new Uint8Array(Buffer.concat(chunks))
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
