import { generateKeyPairSync } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Connection, SfAuthError } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { jwtBearer } from '@sfauth/jwt'
import { session } from '@sfauth/session'
import { useHostileServers } from '@sfauth/test-kit/hostile-server'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { afterEach, describe, expect, it } from 'vitest'

/**
 * conn.fetch attacked over real HTTP, every server on 127.0.0.1: a Request whose redirect mode
 * the runtime would ignore, a session planted in a store on a host the attacker runs, and 401
 * answers whose body is huge or never ends. The token must reach no other origin, and every call
 * must settle.
 */

const { listen, thief } = useHostileServers()
const TOKEN = '00D000000000001!AQ0AQ.loopback-access-token'
const REDIRECTS = [301, 302, 303, 307, 308]

/**
 * node-fetch 2 as it was before 2.6.7, over Node's own fetch: it follows redirects itself unless
 * told `'manual'` or `'error'`, and sends every header again, Authorization included, to wherever
 * the Location points.
 */
const nodeFetch2: typeof fetch = async (input, init) => {
  let url = input instanceof Request ? input.url : String(input)
  for (let hops = 0; ; hops++) {
    const res = await fetch(url, { ...init, redirect: 'manual' })
    const location = res.headers.get('location')
    if (!REDIRECTS.includes(res.status) || !location || init?.redirect === 'manual') return res
    if (init?.redirect === 'error' || hops >= 20) throw new TypeError(`redirect to ${location}`)
    url = new URL(location, url).href
  }
}

describe.each([
  ['Node fetch', undefined],
  ['a fetch that follows on its own (node-fetch 2)', nodeFetch2],
])("a Request's redirect mode, with %s", (_name, userFetch) => {
  async function setup() {
    const target = await thief()
    const instanceUrl = await listen((req) =>
      req.url?.startsWith('/services/apexrest/away')
        ? [307, { Location: `${target.origin}/steal` }, '']
        : [200, { 'Content-Type': 'application/json' }, '{}'],
    )
    const conn = new Connection({ instanceUrl, accessToken: TOKEN, fetch: userFetch })
    return { conn, target, away: `${instanceUrl}/services/apexrest/away` }
  }

  it("'manual': the 307 comes back, nothing reaches the other origin", async () => {
    const { conn, target, away } = await setup()
    const res = await conn.fetch(new Request(away, { redirect: 'manual' }))
    expect(res.status).toBe(307)
    expect(target.received).toEqual([])
  })

  it("'error': rejects with ERR_REDIRECT, nothing reaches the other origin", async () => {
    const { conn, target, away } = await setup()
    const err = await conn.fetch(new Request(away, { redirect: 'error' })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'ERR_REDIRECT', status: 307 })
    expect(target.received).toEqual([])
  })

  it("'follow' (a Request's default): the 307 to another origin comes back, the token stays", async () => {
    const { conn, target, away } = await setup()
    const res = await conn.fetch(new Request(away))
    expect(res.status).toBe(307)
    expect(target.received).toEqual([])
  })
})

describe('a session planted in the store on a host the attacker runs', () => {
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
  const server = useLoopbackEmulator(() =>
    createEmulator({ apps: [{ ...DEFAULT_APP, publicKey: keys.publicKey }] }),
  )
  const JUNK = 'junk-token-planted-with-the-host'
  const QUERY = 'query?q=SELECT+Id+FROM+User'

  /**
   * A store holding the planted session (write access to the store is all the attacker has),
   * the planted host answering 401 to everything, and JWT bearer able to log in again for real.
   */
  async function planted() {
    const seen: (string | undefined)[] = []
    const host = await listen((req) => {
      seen.push(req.headers.authorization)
      return [
        401,
        { 'Content-Type': 'application/json' },
        JSON.stringify([
          { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
        ]),
      ]
    })
    const saved = new Map<string, unknown>([
      ['sfauth:session', { v: 1, accessToken: JUNK, instanceUrl: host, kind: 'oauth2' }],
    ])
    const store = {
      getItem: (key: string) => saved.get(key) ?? null,
      setItem: (key: string, value: unknown) => void saved.set(key, value),
      removeItem: (key: string) => void saved.delete(key),
    }
    const conn = new Connection({
      loginUrl: server.url,
      flows: [
        session({ store }),
        jwtBearer({
          clientId: DEFAULT_APP.clientId,
          username: DEFAULT_USER.username,
          privateKey: keys.privateKey,
        }),
      ],
    })
    // Only the junk token the attacker planted may ever reach the planted host.
    const plantedSaw = () => seen.filter((auth) => auth !== `Bearer ${JUNK}`)
    return { conn, host, plantedSaw }
  }

  it('conn.fetch with a path: the retry after the renewal goes to the real instance', async () => {
    const { conn, plantedSaw } = await planted()
    const res = await conn.fetch(QUERY)
    expect(conn.instanceUrl).toBe(server.url)
    expect(server.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
    expect(plantedSaw()).toEqual([])
    expect(res.status).toBe(200)
  })

  it('conn.fetch with an absolute URL on the planted host: refused after the renewal', async () => {
    const { conn, host, plantedSaw } = await planted()
    await expect(conn.fetch(`${host}/services/data/v64.0/${QUERY}`)).rejects.toThrow(TypeError)
    expect(plantedSaw()).toEqual([])
    expect(server.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
  })

  it('conn.request holds the same, for a path and for an absolute URL', async () => {
    const relative = await planted()
    expect(await relative.conn.request(QUERY)).toHaveProperty('totalSize', 1)
    expect(relative.plantedSaw()).toEqual([])
    const absolute = await planted()
    await expect(absolute.conn.request(`${absolute.host}/services/data`)).rejects.toThrow(TypeError)
    expect(absolute.plantedSaw()).toEqual([])
  })
})

describe('a 401 whose body is huge or never ends', () => {
  const servers: Server[] = []
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections()
      await new Promise((r) => s.close(r))
    }
  })

  /**
   * A server answering 401 with `total` bytes of body (Infinity: it never ends), written as fast
   * as the client takes them; `written()` is what the client has taken so far.
   */
  async function unauthorized(total: number) {
    let written = 0
    const chunk = Buffer.alloc(64 * 1024, 'x')
    const server = createServer((_req, res: ServerResponse) => {
      res.writeHead(401, { 'Content-Type': 'text/plain' })
      const more = () => {
        while (written < total && !res.destroyed) {
          written += chunk.length
          if (!res.write(chunk)) return void res.once('drain', more)
        }
        if (!res.destroyed) res.end()
      }
      more()
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    servers.push(server)
    const instanceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return { conn: new Connection({ instanceUrl, accessToken: TOKEN }), written: () => written }
  }

  const MIB = 1024 * 1024
  const within = <T>(pending: Promise<T>, ms: number) =>
    Promise.race([pending, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))])

  it('48 MiB: a few KiB are read to tell an expiry, the rest only if the caller reads it', async () => {
    const { conn, written } = await unauthorized(48 * MIB)
    const res = await within(conn.fetch('limits'), 20_000)
    expect(res).not.toBe('pending')
    await new Promise((r) => setTimeout(r, 200))
    // What loopback socket buffers hold, far from the whole body.
    expect(written()).toBeLessThan(16 * MIB)
    expect((res as Response).status).toBe(401)
    await (res as Response).body?.cancel()
  })

  it('a body that never ends: the call settles without a signal', async () => {
    const { conn, written } = await unauthorized(Number.POSITIVE_INFINITY)
    const res = await within(conn.fetch('limits'), 10_000)
    expect(res).not.toBe('pending')
    expect((res as Response).status).toBe(401)
    expect(written()).toBeLessThan(16 * MIB)
    await (res as Response).body?.cancel()
  })
})
