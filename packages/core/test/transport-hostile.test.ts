import { inspect } from 'node:util'
import { rejection } from '@sfauth/test-kit'
import { useHostileServers } from '@sfauth/test-kit/hostile-server'
import { describe, expect, it } from 'vitest'
import {
  callRevokeEndpoint,
  callTokenEndpoint,
  soapLogout,
  createHttp as throughOfetch,
} from '../src/flow.js'
import { Connection } from '../src/index.js'
import { createRestHttp, MAX_RESPONSE_BYTES } from '../src/transport.js'

/**
 * The transport's promises (no redirect followed, no secret echoed, bounded answers), written as
 * the attack: real fetch against loopback servers that redirect, answer too much, or fail while
 * quoting what they were sent.
 */

const PASSWORD = 'transport-hostile-password-7b1e'
const SECRET = 'transport-hostile-client-secret'
const { listen, thief } = useHostileServers()

// Both transports: the flows' (through ofetch) and request()'s (the runtime's fetch straight).
describe.each([
  ['flows, through ofetch', throughOfetch],
  ['request(), the runtime fetch straight', createRestHttp],
] as const)('the transport for %s', (_name, createHttp) => {
  describe('redirects are never followed (item 1)', () => {
    it.each([301, 302, 303, 307, 308])(
      'a %i from the token endpoint: nothing reaches the Location, the error names only its origin',
      async (status) => {
        const target = await thief()
        const loginUrl = await listen(() => [
          status,
          { Location: `${target.origin}/steal?password=${PASSWORD}` },
          '',
        ])
        const http = createHttp()
        const err = await rejection(
          callTokenEndpoint(
            { http, loginUrl },
            {
              grant_type: 'password',
              username: 'u',
              password: PASSWORD,
              client_id: 'c',
              client_secret: SECRET,
            },
          ),
        )
        expect(target.received).toEqual([])
        expect(err.errorCode).toBe('ERR_REDIRECT')
        expect(err.status).toBe(status)
        expect(err.message).toContain(target.origin)
        expect(err.message).not.toContain('/steal')
        expect(inspect(err, { depth: 10 })).not.toContain(PASSWORD)
      },
    )

    it('revoke and SOAP logout: the token and the session ID go nowhere else', async () => {
      const target = await thief()
      const server = await listen(() => [307, { Location: `${target.origin}/steal` }, ''])
      const http = createHttp()
      const revoke = await rejection(
        callRevokeEndpoint(http, `${server}/services/oauth2/revoke`, PASSWORD),
      )
      const logout = await rejection(soapLogout(http, server, '64.0', PASSWORD))
      expect(target.received).toEqual([])
      expect([revoke.errorCode, logout.errorCode]).toEqual(['ERR_REDIRECT', 'ERR_REDIRECT'])
    })

    it('a browser-style opaque redirect (status 0) is refused too', async () => {
      const opaque = Response.error()
      Object.defineProperty(opaque, 'type', { value: 'opaqueredirect' })
      const err = await rejection(
        createHttp({ fetch: async () => opaque }).send({
          url: 'https://login.salesforce.com/services/oauth2/token',
          form: { password: PASSWORD },
        }),
      )
      expect(err.errorCode).toBe('ERR_REDIRECT')
    })
  })

  describe('what is read of an answer is capped (item 7)', () => {
    it('a 2xx answer past 1 MiB rejects with ERR_INVALID_RESPONSE and its status, unread', async () => {
      let sent = 0
      const fetch: typeof globalThis.fetch = async () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              sent += 64 * 1024
              controller.enqueue(new Uint8Array(64 * 1024).fill(65))
              if (sent > 50 * 1024 * 1024) controller.close()
            },
          }),
          { status: 200 },
        )
      const err = await rejection(
        createHttp({ fetch }).json({ url: 'https://login.salesforce.com/services/oauth2/token' }),
      )
      expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
      expect(err.status).toBe(200)
      // The stream was cancelled soon after the cap, not drained.
      expect(sent).toBeLessThan(MAX_RESPONSE_BYTES + 512 * 1024)
    })

    it('maxBytes raises the cap for a call that expects large answers', async () => {
      const big = 'x'.repeat(MAX_RESPONSE_BYTES + 10)
      const res = await createHttp({ fetch: async () => new Response(big) }).send({
        url: 'https://acme.my.salesforce.com/services/data',
        maxBytes: Number.POSITIVE_INFINITY,
      })
      expect(res.text.length).toBe(big.length)
    })

    it('an error body is cut at the cap: a 5 MB whitespace page still gives a short message', async () => {
      const body = `${' \n\t'.repeat(1_700_000)}denied`
      const err = await rejection(
        createHttp({ fetch: async () => new Response(body, { status: 400 }) }).json({
          url: 'https://acme.my.salesforce.com/x',
        }),
      )
      expect(err.errorCode).toBe('ERR_HTTP')
      expect(err.message.length).toBeLessThan(300)
    })
  })

  describe('a failing fetch (item 2)', () => {
    it('ERR_NETWORK keeps a scrubbed copy of the cause, never the original that quotes the request', async () => {
      const fetch: typeof globalThis.fetch = async (input, init) => {
        const body = await new Request(input, init).text()
        throw Object.assign(new TypeError(`fetch failed while sending ${body}`), { code: 'EPIPE' })
      }
      const err = await rejection(
        createHttp({ fetch }).send({
          url: 'https://login.salesforce.com/services/oauth2/token',
          form: { password: PASSWORD, client_secret: SECRET },
          secrets: [PASSWORD, SECRET],
        }),
      )
      expect(err.errorCode).toBe('ERR_NETWORK')
      const shown = `${err.message}${String(err)}${JSON.stringify(err)}${inspect(err, { depth: 10 })}`
      expect(shown).not.toContain(PASSWORD)
      expect(shown).not.toContain(SECRET)
      expect((err.cause as { code?: string }).code).toBe('EPIPE')
      expect((err.cause as Error).name).toBe('TypeError')
    })

    it('the caller aborting is ERR_ABORTED', async () => {
      const controller = new AbortController()
      const fetch: typeof globalThis.fetch = (_input, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        )
      const pending = createHttp({ fetch }).send({
        url: 'https://acme.my.salesforce.com/x',
        signal: controller.signal,
      })
      controller.abort()
      expect((await rejection(pending)).errorCode).toBe('ERR_ABORTED')
    })
  })

  describe('a kept-alive socket the server was closing', () => {
    const reset = () =>
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      })

    it('a GET without a body is tried once more, and only once', async () => {
      let calls = 0
      const fetch: typeof globalThis.fetch = async () => {
        calls++
        if (calls === 1) throw reset()
        return Response.json({ ok: true })
      }
      await expect(
        createHttp({ fetch }).json({ url: 'https://acme.my.salesforce.com/x' }),
      ).resolves.toEqual({ ok: true })
      expect(calls).toBe(2)

      let always = 0
      const failing: typeof globalThis.fetch = async () => {
        always++
        throw reset()
      }
      const err = await rejection(
        createHttp({ fetch: failing }).json({ url: 'https://acme.my.salesforce.com/x' }),
      )
      expect(err.errorCode).toBe('ERR_NETWORK')
      expect(always).toBe(2)
    })

    it('a POST (a login, a token call) is never sent twice', async () => {
      let calls = 0
      const fetch: typeof globalThis.fetch = async () => {
        calls++
        throw reset()
      }
      await rejection(
        createHttp({ fetch }).json({
          url: 'https://login.salesforce.com/services/oauth2/token',
          form: { password: PASSWORD },
        }),
      )
      expect(calls).toBe(1)
    })
  })
})

describe('request() on its transport', () => {
  it('request(): the bearer token never follows a redirect to another origin', async () => {
    const target = await thief()
    const token = '00D000000000001!AQ0AQ.never-redirected'
    const instanceUrl = await listen(() => [302, { Location: `${target.origin}/steal` }, ''])
    const conn = new Connection({ accessToken: token, instanceUrl })
    const err = await rejection(conn.request('limits'))
    expect(err.errorCode).toBe('ERR_REDIRECT')
    expect(target.received).toEqual([])
  })
})
