import { rejection } from '@sfauth/test-kit'
import { delay, HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createHttp as throughOfetch } from '../src/flow.js'
import { createRestHttp } from '../src/transport.js'

const BASE = 'https://acme.my.salesforce.com'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

function answer(response: () => Response | Promise<Response>) {
  server.use(http.all(`${BASE}/x`, response))
}

// Every test runs on both transports: the flows' (through ofetch) and request()'s (the runtime's
// fetch called straight). They differ only in that last step; every check is the same.
describe.each([
  ['flows, through ofetch', throughOfetch],
  ['request(), the runtime fetch straight', createRestHttp],
] as const)('the transport for %s', (_name, createHttp) => {
  describe('error bodies become SfAuthError', () => {
    const client = createHttp()

    it('OAuth error JSON keeps Salesforce code, description and status', async () => {
      answer(() =>
        HttpResponse.json(
          { error: 'invalid_grant', error_description: 'authentication failure' },
          { status: 400 },
        ),
      )
      const err = await rejection(client.json({ url: `${BASE}/x` }))
      expect(err.errorCode).toBe('invalid_grant')
      expect(err.message).toBe('authentication failure')
      expect(err.status).toBe(400)
    })

    it('REST error arrays use the first errorCode and every message', async () => {
      answer(() =>
        HttpResponse.json(
          [
            { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
            { message: 'second', errorCode: 'OTHER' },
          ],
          { status: 401 },
        ),
      )
      const err = await rejection(client.json({ url: `${BASE}/x` }))
      expect(err.errorCode).toBe('INVALID_SESSION_ID')
      expect(err.message).toBe('Session expired or invalid; second')
      expect(err.status).toBe(401)
    })

    it('an HTML error page gives its title, never the page', async () => {
      const page = `<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>${'<p>maintenance</p>'.repeat(500)}</body></html>`
      answer(
        () => new HttpResponse(page, { status: 503, headers: { 'Content-Type': 'text/html' } }),
      )
      const err = await rejection(client.json({ url: `${BASE}/x` }))
      expect(err.errorCode).toBe('ERR_HTTP')
      expect(err.status).toBe(503)
      expect(err.message).toContain('Service Unavailable')
      expect(err.message).not.toContain('<p>')
      expect(err.message.length).toBeLessThan(200)
    })

    it('an empty error body says so', async () => {
      answer(() => new HttpResponse(null, { status: 502 }))
      const err = await rejection(client.json({ url: `${BASE}/x` }))
      expect(err.errorCode).toBe('ERR_HTTP')
      expect(err.status).toBe(502)
      expect(err.message).toMatch(/empty body/)
    })

    it('one word of plain text (Bad_OAuth_Token) becomes the code', async () => {
      answer(
        () =>
          new HttpResponse('Bad_OAuth_Token', {
            status: 403,
            headers: { 'Content-Type': 'text/plain' },
          }),
      )
      const err = await rejection(client.json({ url: `${BASE}/x` }))
      expect(err.errorCode).toBe('Bad_OAuth_Token')
      expect(err.status).toBe(403)
    })

    it('form-encoded errors (revoke) are read', async () => {
      answer(
        () =>
          new HttpResponse('error=invalid_token&error_description=Invalid+token', {
            status: 400,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          }),
      )
      const err = await rejection(client.json({ url: `${BASE}/x` }))
      expect(err.errorCode).toBe('invalid_token')
      expect(err.message).toBe('Invalid token')
    })

    it('a truncated JSON 200 is ERR_INVALID_RESPONSE, not a crash', async () => {
      answer(
        () =>
          new HttpResponse('{"access_token":"00Dx!abc","instance_u', {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          }),
      )
      const err = await rejection(client.json({ url: `${BASE}/x` }))
      expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
      expect(err.status).toBe(200)
    })

    it('a non-JSON 200 is ERR_INVALID_RESPONSE', async () => {
      answer(
        () =>
          new HttpResponse('<html>login</html>', {
            status: 200,
            headers: { 'Content-Type': 'text/html' },
          }),
      )
      const err = await rejection(client.json({ url: `${BASE}/x` }))
      expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
      expect(err.message).toContain('text/html')
    })

    it('an empty 2xx body is undefined', async () => {
      answer(() => new HttpResponse(null, { status: 204 }))
      await expect(client.json({ url: `${BASE}/x` })).resolves.toBeUndefined()
    })

    it('a network error is ERR_NETWORK with no status', async () => {
      answer(() => HttpResponse.error())
      const err = await rejection(client.json({ url: `${BASE}/x` }))
      expect(err.errorCode).toBe('ERR_NETWORK')
      expect(err.status).toBeUndefined()
    })

    it('a slow server is ERR_TIMEOUT after the configured timeout', async () => {
      answer(async () => {
        await delay(2_000)
        return HttpResponse.json({})
      })
      const err = await rejection(createHttp({ timeout: 50 }).json({ url: `${BASE}/x` }))
      expect(err.errorCode).toBe('ERR_TIMEOUT')
      expect(err.message).toContain('50 ms')
    })

    it('secrets given with the request never appear in the message', async () => {
      answer(() =>
        HttpResponse.json(
          { error: 'invalid_grant', error_description: 'bad password hunter2-secret for user' },
          { status: 400 },
        ),
      )
      const err = await rejection(client.json({ url: `${BASE}/x`, secrets: ['hunter2-secret'] }))
      expect(err.message).toBe('bad password [redacted] for user')
    })
  })

  describe('requests', () => {
    it('sends form bodies url-encoded and JSON bodies as JSON', async () => {
      const seen: { type: string | null; body: string }[] = []
      server.use(
        http.post(`${BASE}/x`, async ({ request }) => {
          seen.push({ type: request.headers.get('content-type'), body: await request.text() })
          return HttpResponse.json({ ok: true })
        }),
      )
      const client = createHttp()
      await client.json({ url: `${BASE}/x`, form: { a: 'x y&z', skipped: undefined } })
      await client.json({ url: `${BASE}/x`, json: { a: 1 } })
      expect(seen).toEqual([
        { type: 'application/x-www-form-urlencoded', body: 'a=x+y%26z' },
        { type: 'application/json', body: '{"a":1}' },
      ])
    })

    it('never retries: a failing POST is sent exactly once', async () => {
      let calls = 0
      server.use(
        http.post(`${BASE}/x`, () => {
          calls++
          return new HttpResponse(null, { status: 503 })
        }),
      )
      await rejection(createHttp().json({ url: `${BASE}/x`, form: { a: '1' } }))
      expect(calls).toBe(1)
    })

    it('uses an injected fetch instead of the global one', async () => {
      const urls: string[] = []
      const fake: typeof fetch = async (input) => {
        urls.push(String(input instanceof Request ? input.url : input))
        return Response.json({ via: 'injected' })
      }
      await expect(createHttp({ fetch: fake }).json({ url: `${BASE}/y` })).resolves.toEqual({
        via: 'injected',
      })
      expect(urls).toEqual([`${BASE}/y`])
    })

    it('passes fetch a signal only when there is a timeout or a caller signal to honour', async () => {
      const signals: (AbortSignal | null | undefined)[] = []
      const fake: typeof fetch = async (_input, init) => {
        signals.push(init?.signal)
        return Response.json({})
      }
      const caller = new AbortController()
      await createHttp({ fetch: fake }).json({ url: `${BASE}/y` })
      await createHttp({ fetch: fake, timeout: 5_000 }).json({ url: `${BASE}/y` })
      await createHttp({ fetch: fake }).json({ url: `${BASE}/y`, signal: caller.signal })
      expect(signals[0]).toBeUndefined()
      expect(signals[1]).toBeInstanceOf(AbortSignal)
      expect(signals[2]).toBeInstanceOf(AbortSignal)
      // (transport-hostile.test.ts: the caller aborting mid-request is ERR_ABORTED.)
    })

    it('refuses plain http:// to a non-loopback host before sending anything', async () => {
      let sent = 0
      const fake: typeof fetch = async () => {
        sent++
        return Response.json({})
      }
      const err = await rejection(
        createHttp({ fetch: fake }).json({ url: 'http://acme.my.salesforce.com/x' }),
      )
      expect(err.errorCode).toBe('ERR_INSECURE_URL')
      expect(sent).toBe(0)
    })

    it.each([
      'http://127.0.0.1:8080/x',
      'http://localhost:3000/x',
      'http://[::1]:9/x',
      'http://app.localhost/x',
    ])('allows plain http:// to loopback %s', async (url) => {
      const fake: typeof fetch = async () => Response.json({ ok: 1 })
      await expect(createHttp({ fetch: fake }).json({ url })).resolves.toEqual({ ok: 1 })
    })
  })
})
