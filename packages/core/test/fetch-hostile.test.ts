import { rejection } from '@sfauth/test-kit'
import { describe, expect, it } from 'vitest'
import { Connection, type Flow, type FlowResult } from '../src/flow.js'

/**
 * conn.fetch and conn.request attacked through a scripted `fetch`: nothing here leaves the
 * process. The token must reach only the instance (or the login URL) of the session it is sent
 * with, whatever the Request, the redirect or the answer.
 */

const INSTANCE = 'https://acme.my.salesforce.com'
const OTHER = 'https://elsewhere.invalid'
const TOKEN = '00D000000000001!AQ0AQ.scripted-access-token'
const REDIRECT_STATUSES = [301, 302, 303, 307, 308]

interface Seen {
  url: string
  auth: string | null
  redirect: RequestRedirect | undefined
}

/**
 * A `fetch` that follows redirects itself unless told `'manual'` or `'error'`, and resends every
 * header with each hop, the Authorization header included: node-fetch 2 before 2.6.7 did exactly
 * this. `answer` scripts the servers.
 */
function followingFetch(answer: (url: string) => Response): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = []
  const scripted = async (input: RequestInfo | URL, init?: RequestInit) => {
    let url = input instanceof Request ? input.url : String(input)
    const headers = new Headers(init?.headers)
    for (let hops = 0; ; hops++) {
      seen.push({ url, auth: headers.get('authorization'), redirect: init?.redirect })
      const res = answer(url)
      const location = res.headers.get('location')
      if (!REDIRECT_STATUSES.includes(res.status) || !location || hops > 5) return res
      if (init?.redirect === 'manual') return res
      if (init?.redirect === 'error') throw new TypeError('redirect mode is set to error')
      url = new URL(location, url).href
    }
  }
  return { fetch: scripted as typeof fetch, seen }
}

/** The instance answers `/services/apexrest/away` with a 302 to another origin, the rest 200. */
function awayAnswer(url: string): Response {
  if (url.startsWith(`${INSTANCE}/services/apexrest/away`)) {
    return new Response('', { status: 302, headers: { Location: `${OTHER}/steal` } })
  }
  if (url.startsWith(`${INSTANCE}/services/apexrest/home`)) {
    return new Response('', { status: 302, headers: { Location: '/services/data' } })
  }
  return new Response('[]', { headers: { 'Content-Type': 'application/json' } })
}

describe('the redirect mode of a Request (a user fetch that follows on its own)', () => {
  it.each(['manual', 'error', 'follow'] as const)(
    "new Request(url, { redirect: '%s' }): the token never reaches another origin",
    async (mode) => {
      const { fetch, seen } = followingFetch(awayAnswer)
      const conn = new Connection({ fetch, instanceUrl: INSTANCE, accessToken: TOKEN })
      const outcome = await conn
        .fetch(new Request(`${INSTANCE}/services/apexrest/away`, { redirect: mode }))
        .catch((err: unknown) => err)
      expect(seen.filter((s) => !s.url.startsWith(INSTANCE))).toEqual([])
      // The runtime is never allowed to follow.
      expect(seen.map((s) => s.redirect)).toEqual(['manual'])
      if (mode === 'error') {
        expect(outcome).toMatchObject({ errorCode: 'ERR_REDIRECT', status: 302 })
        expect(String(outcome)).toContain(OTHER)
      } else {
        expect((outcome as Response).status).toBe(302)
      }
    },
  )

  it("'manual' returns a redirect within the instance unread, 'follow' follows it", async () => {
    const { fetch, seen } = followingFetch(awayAnswer)
    const conn = new Connection({ fetch, instanceUrl: INSTANCE, accessToken: TOKEN })
    const url = `${INSTANCE}/services/apexrest/home`
    const manual = await conn.fetch(new Request(url, { redirect: 'manual' }))
    expect(manual.status).toBe(302)
    expect(manual.headers.get('location')).toBe('/services/data')
    expect(seen).toHaveLength(1)
    const followed = await conn.fetch(url)
    expect(followed.status).toBe(200)
    expect(seen.map((s) => s.url)).toEqual([url, url, `${INSTANCE}/services/data`])
  })

  it("init.redirect wins over the Request's: 'error' rejects even for a same-origin redirect", async () => {
    const { fetch, seen } = followingFetch(awayAnswer)
    const conn = new Connection({ fetch, instanceUrl: INSTANCE, accessToken: TOKEN })
    const request = new Request(`${INSTANCE}/services/apexrest/home`, { redirect: 'follow' })
    await rejection(conn.fetch(request, { redirect: 'error' }), { errorCode: 'ERR_REDIRECT' })
    expect(seen).toHaveLength(1)
  })
})

/** A flow that logs in again and lands on `instanceUrl` with `accessToken`. */
function reloginTo(instanceUrl: string, accessToken: string): Flow & { renewals: number } {
  const flow = {
    name: 'test-relogin',
    renewals: 0,
    async renewSession(): Promise<FlowResult> {
      flow.renewals++
      return { session: { accessToken, instanceUrl, kind: 'oauth2' }, response: {} }
    },
  }
  return flow
}

const PLANTED = 'https://planted.invalid'
const JUNK = 'junk-token-planted-in-the-store'
const RENEWED = '00D000000000001!AQ0AQ.renewed-real-token'
const expired = () =>
  Response.json([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }], {
    status: 401,
  })

describe('a renewal that moves the session to another instance', () => {
  /** The planted host answers 401 to everything; the real instance accepts the renewed token. */
  function setup() {
    const seen: { url: string; auth: string | null }[] = []
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init)
      seen.push({ url: request.url, auth: request.headers.get('authorization') })
      if (request.url.startsWith(PLANTED)) return expired()
      return Response.json({ ok: true })
    }
    const flow = reloginTo(INSTANCE, RENEWED)
    const conn = new Connection({ fetch, instanceUrl: PLANTED, accessToken: JUNK, flows: [flow] })
    const plantedSaw = () => seen.filter((s) => s.url.startsWith(PLANTED)).map((s) => s.auth)
    return { conn, seen, flow, plantedSaw }
  }

  it('conn.fetch with a relative path: the retry goes to the new instance', async () => {
    const { conn, seen, flow, plantedSaw } = setup()
    const res = await conn.fetch('limits')
    expect(res.status).toBe(200)
    expect(flow.renewals).toBe(1)
    expect(plantedSaw()).toEqual([`Bearer ${JUNK}`])
    expect(seen.at(-1)).toEqual({
      url: `${INSTANCE}/services/data/v64.0/limits`,
      auth: `Bearer ${RENEWED}`,
    })
  })

  it('conn.fetch with an absolute URL on the old instance: refused, the new token stays here', async () => {
    const { conn, flow, plantedSaw } = setup()
    await expect(conn.fetch(`${PLANTED}/services/data/v64.0/limits`)).rejects.toThrow(TypeError)
    await expect(
      conn.fetch(new Request(`${PLANTED}/services/apexrest/x`, { method: 'POST', body: 'b' })),
    ).rejects.toThrow(TypeError)
    expect(flow.renewals).toBe(1)
    expect(plantedSaw()).toEqual([`Bearer ${JUNK}`])
  })

  it('conn.request holds the same: relative re-resolved, absolute on the old instance refused', async () => {
    const absolute = setup()
    await expect(absolute.conn.request(`${PLANTED}/services/data`)).rejects.toThrow(TypeError)
    expect(absolute.plantedSaw()).toEqual([`Bearer ${JUNK}`])
    const relative = setup()
    expect(await relative.conn.request('limits')).toEqual({ ok: true })
    expect(relative.plantedSaw()).toEqual([`Bearer ${JUNK}`])
    expect(relative.seen.at(-1)?.url).toBe(`${INSTANCE}/services/data/v64.0/limits`)
  })
})

/**
 * A 401 whose body is `chunks` chunks of 1 KiB (or never ends), counting how many the stream
 * was asked for. Each chunk waits for the event loop (`pace`), as a socket does, so that a reader
 * that never stops still lets timers run.
 */
function bigUnauthorized(
  chunks: number,
  pace: () => Promise<unknown> = () => new Promise(setImmediate),
): { fetch: typeof fetch; pulls: () => number } {
  let pulls = 0
  const chunk = new TextEncoder().encode(`${'x'.repeat(1023)}\n`)
  const fetch: typeof globalThis.fetch = async () => {
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        pulls++
        await pace()
        if (sent++ >= chunks) controller.close()
        else controller.enqueue(chunk)
      },
    })
    return new Response(body, { status: 401, headers: { 'Content-Type': 'text/plain' } })
  }
  return { fetch, pulls: () => pulls }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const settled = <T>(pending: Promise<T>, ms: number) =>
  Promise.race([pending, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))])

describe('the 401/403 body read to tell an expired session', () => {
  it('a 48 MiB 401 body is not read: a few KiB of it, and the response comes back unread', async () => {
    const { fetch, pulls } = bigUnauthorized(48 * 1024)
    const conn = new Connection({ fetch, instanceUrl: INSTANCE, accessToken: TOKEN })
    const res = await conn.fetch('limits')
    expect(res.status).toBe(401)
    expect(res.bodyUsed).toBe(false)
    expect(pulls()).toBeLessThanOrEqual(16)
  })

  it('a 401 body that never ends: the call settles without a signal', async () => {
    // A millisecond a chunk: a reader that never stops reads about 4 MiB before the race ends.
    const { fetch, pulls } = bigUnauthorized(Number.POSITIVE_INFINITY, () => sleep(1))
    const conn = new Connection({ fetch, instanceUrl: INSTANCE, accessToken: TOKEN })
    const res = await settled(conn.fetch('limits'), 4_000)
    expect(res).not.toBe('pending')
    expect((res as Response).status).toBe(401)
    expect(pulls()).toBeLessThanOrEqual(16)
  })

  it('a 401 body that stops sending after its first bytes: the call settles', async () => {
    const fetch: typeof globalThis.fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('[{"errorCode":"INVALID_SESS'))
          },
        }),
        { status: 401 },
      )
    const conn = new Connection({ fetch, instanceUrl: INSTANCE, accessToken: TOKEN })
    const res = await settled(conn.fetch('limits'), 10_000)
    expect(res).not.toBe('pending')
    expect((res as Response).status).toBe(401)
  })
})
