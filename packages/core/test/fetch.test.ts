import { CONCURRENT_CALLERS, rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { Connection, SfAuthError } from '../src/index.js'
import { client, newEmulator, password, passwordFlow, username } from './helpers.js'

const INSTANCE = 'https://acme.my.salesforce.com'
const LOGIN = 'https://login.salesforce.com'
const env = useMswEmulator(newEmulator)

async function loggedIn() {
  const conn = new Connection({ oauth2: client, flows: [passwordFlow()] })
  await conn.login(username, password)
  return conn
}

const expiredBody = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]

/** Records the Authorization header of every request msw sees on `url`, then lets it through. */
function seen(): { auth: (string | null)[]; urls: string[] } {
  const log = { auth: [] as (string | null)[], urls: [] as string[] }
  env.override(
    http.all(/.*/, ({ request }) => {
      log.auth.push(request.headers.get('authorization'))
      log.urls.push(request.url)
      return undefined
    }),
  )
  return log
}

describe('conn.fetch', () => {
  it('resolves a relative path as request() does and adds the bearer token', async () => {
    const conn = await loggedIn()
    const log = seen()
    const res = await conn.fetch('query?q=SELECT+Id+FROM+User')
    expect(res.status).toBe(200)
    expect(log.urls.at(-1)).toBe(`${INSTANCE}/services/data/v64.0/query?q=SELECT+Id+FROM+User`)
    expect(log.auth.at(-1)).toBe(`Bearer ${conn.accessToken}`)
    const body = (await res.json()) as { totalSize: number }
    expect(body.totalSize).toBe(1)
    const services = await conn.fetch('/services/data')
    expect(log.urls.at(-1)).toBe(`${INSTANCE}/services/data`)
    expect(Array.isArray(await services.json())).toBe(true)
  })

  it('takes an absolute URL on the instance, a URL object and a Request', async () => {
    const conn = await loggedIn()
    const log = seen()
    expect((await conn.fetch(`${INSTANCE}/services/data`)).status).toBe(200)
    expect((await conn.fetch(new URL(`${INSTANCE}/services/data`))).status).toBe(200)
    const req = new Request(`${INSTANCE}/services/data`, { headers: { 'X-Extra': '1' } })
    expect((await conn.fetch(req)).status).toBe(200)
    expect(log.auth).toEqual(Array(3).fill(`Bearer ${conn.accessToken}`))
  })

  it('refuses another origin before sending anything (the token would leak)', async () => {
    const conn = await loggedIn()
    const calls = env.emu.calls.length
    await expect(conn.fetch('https://evil.example.com/services/data')).rejects.toThrow(TypeError)
    await expect(conn.fetch(new Request('https://evil.example.com/x'))).rejects.toThrow(TypeError)
    await rejection(conn.fetch('http://acme.my.salesforce.com/services/data'), {
      errorCode: 'ERR_INSECURE_URL',
    })
    expect(env.emu.calls.length).toBe(calls)
  })

  it('rejects without a session with ERR_NO_SESSION', async () => {
    await rejection(new Connection({ flows: [passwordFlow()] }).fetch('limits'), {
      errorCode: 'ERR_NO_SESSION',
    })
  })

  it('follows a redirect within the instance with the token, but never to another origin', async () => {
    const conn = await loggedIn()
    let evilCalls = 0
    env.override(
      http.get(`${INSTANCE}/services/apexrest/move`, () =>
        HttpResponse.text('', { status: 302, headers: { Location: '/services/data' } }),
      ),
      http.get(`${INSTANCE}/services/apexrest/away`, () =>
        HttpResponse.text('', {
          status: 307,
          headers: { Location: 'https://evil.example.com/steal' },
        }),
      ),
      http.all('https://evil.example.com/*', () => {
        evilCalls++
        return HttpResponse.text('got it')
      }),
    )
    const moved = await conn.fetch('/services/apexrest/move')
    expect(moved.status).toBe(200)
    expect(Array.isArray(await moved.json())).toBe(true)
    const away = await conn.fetch('/services/apexrest/away')
    expect(away.status).toBe(307)
    expect(away.headers.get('location')).toBe('https://evil.example.com/steal')
    expect(evilCalls).toBe(0)
  })

  it('follows a 303 after a POST as a GET, and a 307 with the same body, within the instance', async () => {
    const conn = await loggedIn()
    const seenBy: string[] = []
    env.override(
      http.post(`${INSTANCE}/services/apexrest/create`, () =>
        HttpResponse.text('', { status: 303, headers: { Location: '/services/apexrest/item' } }),
      ),
      http.post(`${INSTANCE}/services/apexrest/moved`, () =>
        HttpResponse.text('', { status: 307, headers: { Location: '/services/apexrest/echo' } }),
      ),
      http.get(`${INSTANCE}/services/apexrest/item`, ({ request }) => {
        seenBy.push(`${request.method} ${request.headers.get('content-type')}`)
        return HttpResponse.text('item')
      }),
      http.post(`${INSTANCE}/services/apexrest/echo`, async ({ request }) =>
        HttpResponse.text(`${request.headers.get('authorization')} ${await request.text()}`),
      ),
    )
    const headers = { 'Content-Type': 'text/plain' }
    const created = await conn.fetch('/services/apexrest/create', {
      method: 'POST',
      body: 'x',
      headers,
    })
    expect(await created.text()).toBe('item')
    expect(seenBy).toEqual(['GET null'])
    const moved = await conn.fetch('/services/apexrest/moved', {
      method: 'POST',
      body: 'y',
      headers,
    })
    expect(await moved.text()).toBe(`Bearer ${conn.accessToken} y`)
  })

  it('renews once for 50 concurrent fetch and request callers mixed, and retries each once', async () => {
    const conn = await loggedIn()
    const before = conn.accessToken
    let refreshes = 0
    conn.on('refresh', () => refreshes++)
    env.emu.expireSessions()
    const callers = Array.from({ length: CONCURRENT_CALLERS }, (_, i) =>
      i % 2 === 0
        ? conn.fetch('query?q=SELECT+Id+FROM+User').then((r) => r.json())
        : conn.request('query?q=SELECT+Id+FROM+User'),
    )
    const results = (await Promise.all(callers)) as { totalSize: number }[]
    expect(results.map((r) => r.totalSize)).toEqual(Array(CONCURRENT_CALLERS).fill(1))
    expect(env.emu.count('token', 'password')).toBe(2)
    expect(refreshes).toBe(1)
    expect(conn.accessToken).not.toBe(before)
  })

  it('returns a 401 that is not an expired session unread and intact, without renewing', async () => {
    const conn = await loggedIn()
    const restApi = [
      {
        message: 'This session is not valid for use with the REST API',
        errorCode: 'INVALID_SESSION_ID',
      },
    ]
    env.override(
      http.get(`${INSTANCE}/services/data/v64.0/limits`, () =>
        HttpResponse.json(restApi, { status: 401, headers: { 'X-Probe': 'kept' } }),
      ),
    )
    const res = await conn.fetch('limits')
    expect(res.status).toBe(401)
    expect(res.bodyUsed).toBe(false)
    expect(res.headers.get('x-probe')).toBe('kept')
    expect(await res.json()).toEqual(restApi)
    expect(env.emu.count('token', 'password')).toBe(1)
  })

  it('returns other statuses unread (a 404 is the caller’s to read)', async () => {
    const conn = await loggedIn()
    env.override(
      http.get(`${INSTANCE}/services/data/v64.0/sobjects/Nope`, () =>
        HttpResponse.json([{ errorCode: 'NOT_FOUND', message: 'nope' }], { status: 404 }),
      ),
    )
    const res = await conn.fetch('sobjects/Nope')
    expect(res.status).toBe(404)
    expect(res.bodyUsed).toBe(false)
    expect(await res.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'nope' }])
  })

  it('after one renewal, a second expired-session 401 is returned (never loops)', async () => {
    const conn = await loggedIn()
    let calls = 0
    env.override(
      http.get(`${INSTANCE}/services/data/v64.0/limits`, () => {
        calls++
        return HttpResponse.json(expiredBody, { status: 401 })
      }),
    )
    const res = await conn.fetch('limits')
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual(expiredBody)
    expect(calls).toBe(2)
    expect(env.emu.count('token', 'password')).toBe(2)
  })

  it('returns the response before its body is read, so a streamed body is read after return', async () => {
    const conn = await loggedIn()
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const encoder = new TextEncoder()
    env.override(
      http.get(`${INSTANCE}/services/data/v64.0/jobs/query/750/results`, () => {
        const stream = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode('Id\n001A\n'))
            await gate
            controller.enqueue(encoder.encode('001B\n'))
            controller.close()
          },
        })
        return new HttpResponse(stream, { headers: { 'Content-Type': 'text/csv' } })
      }),
    )
    // Resolves while the server still holds the end of the body back.
    const res = await conn.fetch('jobs/query/750/results')
    expect(res.status).toBe(200)
    expect(res.bodyUsed).toBe(false)
    release()
    expect(await res.text()).toBe('Id\n001A\n001B\n')
  })

  it('does not retry a one-shot stream body: its 401 comes back as it is', async () => {
    const conn = await loggedIn()
    let uploads = 0
    env.override(
      http.post(`${INSTANCE}/services/apexrest/upload`, async ({ request }) => {
        uploads++
        await request.arrayBuffer()
        return HttpResponse.json(expiredBody, { status: 401 })
      }),
    )
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('big,csv\n'))
        controller.close()
      },
    })
    const res = await conn.fetch('/services/apexrest/upload', { method: 'POST', body })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual(expiredBody)
    expect(uploads).toBe(1)
    expect(env.emu.count('token', 'password')).toBe(1)
  })

  it('renews and resends a replayable body (a string, a Request’s) on an expired session', async () => {
    const conn = await loggedIn()
    const stale = conn.accessToken as string
    const bodies: string[] = []
    env.override(
      http.post(`${INSTANCE}/services/apexrest/echo`, async ({ request }) => {
        bodies.push(await request.text())
        return request.headers.get('authorization') === `Bearer ${stale}`
          ? HttpResponse.json(expiredBody, { status: 401 })
          : HttpResponse.text('ok')
      }),
    )
    const req = new Request(`${INSTANCE}/services/apexrest/echo`, {
      method: 'POST',
      body: JSON.stringify({ a: 1 }),
      headers: { 'Content-Type': 'application/json' },
    })
    const res = await conn.fetch(req)
    expect(await res.text()).toBe('ok')
    expect(bodies).toEqual(['{"a":1}', '{"a":1}'])
    expect(env.emu.count('token', 'password')).toBe(2)
    const renewed = conn.accessToken as string
    env.override(
      http.post(`${INSTANCE}/services/apexrest/echo2`, async ({ request }) => {
        bodies.push(await request.text())
        return request.headers.get('authorization') === `Bearer ${renewed}`
          ? HttpResponse.json(expiredBody, { status: 401 })
          : HttpResponse.text('ok')
      }),
    )
    const text = await conn.fetch('/services/apexrest/echo2', { method: 'POST', body: 'one' })
    expect(await text.text()).toBe('ok')
    expect(bodies.slice(2)).toEqual(['one', 'one'])
    expect(env.emu.count('token', 'password')).toBe(3)
  })

  it('honours init.signal: an abort rejects with the signal’s reason', async () => {
    const conn = await loggedIn()
    env.emu.setDelay(5_000)
    const controller = new AbortController()
    const pending = conn.fetch('limits', { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('stop')), 20)
    await expect(pending).rejects.toThrow('stop')
  })

  it('rejects with the renewal’s error when the session expired and nothing can renew', async () => {
    const conn = new Connection({ instanceUrl: INSTANCE, accessToken: '00Dexpired!token' })
    const err = await rejection(conn.fetch('limits'), { errorCode: 'INVALID_SESSION_ID' })
    expect(err.message).toContain('cannot renew')
    expect(err.message).not.toContain('00Dexpired!token')
  })

  it('sends the token to the login URL too (userinfo) and renews on its 403 Bad_OAuth_Token', async () => {
    const conn = await loggedIn()
    const log = seen()
    env.emu.expireSessions()
    const res = await conn.fetch(`${LOGIN}/services/oauth2/userinfo`)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { user_id: string }).user_id).toMatch(/^005/)
    expect(log.urls.filter((u) => u.endsWith('/userinfo'))).toHaveLength(2)
    expect(env.emu.count('token', 'password')).toBe(2)
  })
})

describe('conn.renew', () => {
  it('renews now, resolves to the new token and fires refresh once', async () => {
    const conn = await loggedIn()
    const before = conn.accessToken
    const events: string[] = []
    conn.on('refresh', (token) => events.push(token))
    const token = await conn.renew()
    expect(token).not.toBe(before)
    expect(token).toBe(conn.accessToken)
    expect(events).toEqual([token])
    expect(env.emu.isValidAccessToken(token)).toBe(true)
  })

  it('joins a renewal a request started: one token call, one refresh', async () => {
    const conn = await loggedIn()
    const events: string[] = []
    conn.on('refresh', (token) => events.push(token))
    env.emu.expireSessions()
    let renewing!: () => void
    const started = new Promise<void>((resolve) => {
      renewing = resolve
    })
    env.override(
      http.post(`${LOGIN}/services/oauth2/token`, () => {
        renewing()
        return undefined
      }),
    )
    const request = conn.request<{ totalSize: number }>('query?q=SELECT+Id+FROM+User')
    await started
    const [token, result] = await Promise.all([conn.renew(), request])
    expect(result.totalSize).toBe(1)
    expect(env.emu.count('token', 'password')).toBe(2)
    expect(events).toEqual([token])
    expect(token).toBe(conn.accessToken)
  })

  it('rejects with an SfAuthError when nothing can renew', async () => {
    const conn = new Connection({ instanceUrl: INSTANCE, accessToken: '00Dsome!token' })
    const err = await rejection(conn.renew(), { errorCode: 'ERR_NO_FLOW' })
    expect(err.message).toContain('cannot renew')
    expect(err).toBeInstanceOf(SfAuthError)
  })
})
