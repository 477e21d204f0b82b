import { Connection } from '@sfauth/core'
import {
  callTokenEndpoint,
  createHttp,
  errorFromResponse,
  type Session,
  SfAuthError,
  sessionFromToken,
  type TokenResponse,
} from '@sfauth/core/flow'
import { OAuth2 } from '@sfauth/oauth2'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseIdUrl } from '../../../packages/core/src/token-session.js'
import { parseJsonBody } from '../../../packages/core/src/transport.js'
import { INSTANCE_URL, LOGIN_URL, stubFetch } from './helpers.js'

/**
 * Properties of core's parsers: through its public entry, and the two that only core itself calls
 * (the identity URL and JSON body parsers) from its source.
 */

const sfId = fc
  .string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
    minLength: 15,
    maxLength: 15,
  })
  .chain((id) => fc.constantFrom(id, `${id}AAA`))

const headers = fc
  .constantFrom(
    'application/json',
    'text/html',
    'text/plain',
    'text/xml',
    '',
    'application/x-www-form-urlencoded',
  )
  .map((type) => new Headers(type ? { 'Content-Type': type } : {}))

/** Bodies a server may answer with: JSON of any shape, error shapes, form errors, HTML, noise. */
const body = fc.oneof(
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        error: fc.oneof(fc.string(), fc.integer()),
        error_description: fc.oneof(fc.string(), fc.constant(null)),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc
    .array(
      fc.record(
        { errorCode: fc.oneof(fc.string(), fc.integer()), message: fc.anything() },
        { requiredKeys: [] },
      ),
    )
    .map((v) => JSON.stringify(v)),
  fc
    .tuple(fc.string(), fc.string())
    .map(([e, d]) => new URLSearchParams({ error: e, error_description: d }).toString()),
  fc
    .string()
    .map(
      (title) => `<!DOCTYPE html><html><head><title>${title}</title></head><body>x</body></html>`,
    ),
  fc.constantFrom(
    '{"__proto__":{"polluted":true},"error":"x"}',
    '[{"__proto__":{"polluted":true},"errorCode":"X"}]',
  ),
)

describe('parseIdUrl', () => {
  it('never throws, and reads the org and user IDs of any identity URL', () => {
    fc.assert(
      fc.property(fc.webUrl(), sfId, sfId, (base, org, user) => {
        const url = `${base.replace(/[?#].*$/, '').replace(/\/$/, '')}/id/${org}/${user}`
        expect(parseIdUrl(url)).toEqual({ id: user, organizationId: org, url })
      }),
    )
  })

  it('returns undefined or IDs taken from the path for any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })),
        (text) => {
          const info = parseIdUrl(text)
          if (info === undefined) return
          expect(info.url).toBe(text)
          const path = new URL(text).pathname
          expect(path).toContain(`/${info.organizationId}/`)
          expect(path).toContain(info.id)
        },
      ),
    )
  })
})

describe('errorFromResponse', () => {
  it('turns any status, headers and body into an SfAuthError with that status', () => {
    fc.assert(
      fc.property(fc.integer({ min: 300, max: 599 }), headers, body, (status, h, text) => {
        const err = errorFromResponse({ status, headers: h, text })
        expect(err).toBeInstanceOf(SfAuthError)
        expect(err.status).toBe(status)
        expect(typeof err.errorCode).toBe('string')
        expect(typeof err.message).toBe('string')
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }),
      { numRuns: 500 },
    )
  })

  // A server chooses its error body, so the message built from it must stay short whatever it sends.
  it('keeps the message short whatever the body: at most a few hundred characters of server text', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 400, max: 599 }),
        headers,
        body,
        fc.string({ minLength: 3000, maxLength: 5000 }),
        (status, h, text, long) => {
          for (const t of [
            text,
            JSON.stringify({ error: 'x', error_description: long }),
            JSON.stringify([{ errorCode: 'X', message: long }]),
          ]) {
            const err = errorFromResponse({ status, headers: h, text: t })
            expect(err.message.length).toBeLessThanOrEqual(2000)
            expect(err.errorCode.length).toBeLessThanOrEqual(200)
          }
        },
      ),
    )
  })
})

describe('parseJsonBody', () => {
  it('parses any JSON, and rejects anything else with ERR_INVALID_RESPONSE and the status', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        (text) => {
          const res = { status: 200, statusText: '', headers: new Headers(), text } as never
          let parsed: unknown
          try {
            parsed = parseJsonBody(res, `${INSTANCE_URL}/services/data`)
          } catch (err) {
            expect(err).toBeInstanceOf(SfAuthError)
            expect((err as SfAuthError).errorCode).toBe('ERR_INVALID_RESPONSE')
            expect(() => JSON.parse(text)).toThrow()
            return
          }
          if (text.trim() === '') expect(parsed).toBeUndefined()
          else expect(parsed).toEqual(JSON.parse(text))
        },
      ),
    )
  })
})

function tokenCall(answer: unknown, status = 200) {
  const { fetch } = stubFetch(
    () =>
      new Response(typeof answer === 'string' ? answer : JSON.stringify(answer), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
  )
  return callTokenEndpoint(
    { http: createHttp({ fetch }), loginUrl: LOGIN_URL },
    { grant_type: 'password', username: 'u', password: 'p4ssw0rd-secret' },
  )
}

const goodToken = {
  access_token: '00D!access-token-value',
  instance_url: INSTANCE_URL,
  id: `${LOGIN_URL}/id/00D000000000001AAA/005000000000001AAA`,
  token_type: 'Bearer',
}

describe('token answers', () => {
  it('any 2xx JSON either is a token response with string fields, or rejects with SfAuthError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              access_token: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
              instance_url: fc.oneof(fc.webUrl(), fc.integer(), fc.constant(INSTANCE_URL)),
              id: fc.oneof(fc.webUrl(), fc.string()),
            },
            { requiredKeys: [] },
          ),
        ),
        async (answer) => {
          try {
            const res = await tokenCall(answer)
            expect(typeof res.access_token).toBe('string')
            expect(typeof res.instance_url).toBe('string')
            expect(new URL(res.instance_url).protocol).toBe('https:')
          } catch (err) {
            expect(err).toBeInstanceOf(SfAuthError)
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        },
      ),
      { numRuns: 200 },
    )
  })

  it('prototype keys in a token answer pollute nothing and are not taken as fields', async () => {
    const res = await tokenCall(
      `{"__proto__":{"polluted":true,"refresh_token":"evil"},"constructor":{"prototype":{"polluted":true}},${JSON.stringify(goodToken).slice(1)}`,
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(sessionFromToken(res).refreshToken).toBeUndefined()
  })

  // A token answer with refresh_token "" must not wipe the stored refresh token, and a number or an
  // object must not be stored as one.
  it('a refresh_token that is not a non-empty string never replaces the previous one', () => {
    const previous: Session = {
      accessToken: 'old',
      instanceUrl: INSTANCE_URL,
      kind: 'oauth2',
      refreshToken: '5Aep861-previous-refresh-token',
    }
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(''), fc.integer(), fc.object(), fc.constant(null), fc.boolean()),
        (bad) => {
          const session = sessionFromToken(
            { ...goodToken, refresh_token: bad } as unknown as TokenResponse,
            previous,
          )
          expect(session.refreshToken).toBe(previous.refreshToken)
        },
      ),
    )
  })

  // A bad instance_url comes from the server: it must be an SfAuthError that does not echo the value.
  it('an instance_url that is not an absolute URL rejects with SfAuthError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string().filter((t) => !t.includes(':')),
        async (instanceUrl) => {
          const err = await tokenCall({ ...goodToken, instance_url: instanceUrl }).catch(
            (e: unknown) => e,
          )
          expect(err).toBeInstanceOf(SfAuthError)
        },
      ),
      { numRuns: 30, endOnFailure: true },
    )
  })

  // An https login must not send the token on to a plain-http host, loopback or not.
  it('an https login never accepts a plain-http instance_url, loopback included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('127.0.0.1:6379', 'localhost:8080', '[::1]:9229', 'app.localhost'),
        async (host) => {
          await expect(
            tokenCall({ ...goodToken, instance_url: `http://${host}` }),
          ).rejects.toBeInstanceOf(SfAuthError)
        },
      ),
    )
  })

  // An empty 200 answer must still say which status it had, for the caller to tell it from a network error.
  it('an empty 200 answer rejects with ERR_INVALID_RESPONSE carrying status 200', async () => {
    const err = await tokenCall('').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect((err as SfAuthError).status).toBe(200)
  })

  // A server can send any size of access_token: a connection must not keep one past the answer cap.
  it('a huge access_token is refused, not stored', async () => {
    const conn = new Connection({
      fetch: stubFetch(() =>
        Response.json({ ...goodToken, access_token: 'A'.repeat(5 * 1024 * 1024) }),
      ).fetch,
      oauth2: new OAuth2({ clientId: 'cid', clientSecret: 'secret', loginUrl: LOGIN_URL }),
    })
    await expect(conn.login('u', 'p4ssw0rd')).rejects.toBeInstanceOf(SfAuthError)
    expect(conn.accessToken).toBeUndefined()
  })
})
