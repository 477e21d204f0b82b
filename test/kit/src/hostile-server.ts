import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach } from 'vitest'

/** What a handler answers: status, headers, body. */
export type Answer = [status: number, headers: Record<string, string>, body: string]

/** A request that reached a {@link HostileServers.thief}. */
export interface StolenRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

/** Loopback servers a test scripts to answer as an attacker would. */
export interface HostileServers {
  /** Starts a server on 127.0.0.1 answering every request with `handler`; resolves to its origin. */
  listen(handler: (req: IncomingMessage, body: string) => Answer): Promise<string>
  /** A server that records every request reaching it (a redirect's target must receive nothing). */
  thief(): Promise<{ origin: string; received: StolenRequest[] }>
}

/**
 * Real HTTP servers on 127.0.0.1 (a free port each) for attack tests: redirects to another
 * origin, oversized or hostile answers. Every server a test starts is closed after it.
 */
export function useHostileServers(): HostileServers {
  const servers: Server[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
  })
  async function listen(handler: (req: IncomingMessage, body: string) => Answer) {
    const server = createServer(async (req, res) => {
      let body = ''
      for await (const chunk of req) body += chunk
      const [status, headers, text] = handler(req, body)
      res.writeHead(status, headers).end(text)
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    servers.push(server)
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }
  async function thief() {
    const received: StolenRequest[] = []
    const origin = await listen((req, body) => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      return [200, { 'Content-Type': 'application/json' }, '{}']
    })
    return { origin, received }
  }
  return { listen, thief }
}
