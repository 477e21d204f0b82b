import { inspect } from 'node:util'
import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { soapLogin } from '@sfauth/soap-login'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CLIENT_ID,
  CLIENT_SECRET,
  expectNoSecret,
  INSTANCE_URL,
  LOGIN_URL,
  rejection,
  secretWith,
  stubFetch,
  USERNAME,
} from './helpers.js'

/**
 * "A random secret never survives an error path" (SECURITY.md). Each property sends a random
 * password (or token) and has the server echo it back in one form; no form of it may show in the
 * error's message, errorCode, cause, String(), JSON.stringify() or util.inspect().
 *
 * Matching the raw secret alone is not enough: a server echoes it URL-encoded, form-encoded, JSON-
 * or XML-escaped or with its whitespace collapsed, so these properties cover every encoded form.
 */

/** A secret with no whitespace, so that only the echo's own encoding can hide it from scrub. */
const printable = secretWith('&<>"\'%+\\é/=?#')

function passwordLogin(password: string, answer: () => Response) {
  const { fetch } = stubFetch(() => answer())
  const conn = new Connection({
    fetch,
    oauth2: new OAuth2({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, loginUrl: LOGIN_URL }),
  })
  return rejection(conn.login(USERNAME, password))
}

function soapPasswordLogin(password: string, faultstring: string) {
  const { fetch } = stubFetch(
    () =>
      new Response(
        `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>${faultstring}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
        { status: 500, headers: { 'Content-Type': 'text/xml' } },
      ),
  )
  return rejection(new Connection({ fetch, flows: [soapLogin()] }).login(USERNAME, password))
}

const json = (body: unknown, status = 400) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })

const RUNS = { numRuns: 60 }

describe('token endpoint: the password echoed back', () => {
  it('raw, in error_description, an HTML title or plain text: never shows', async () => {
    await fc.assert(
      fc.asyncProperty(
        printable,
        fc.constantFrom('json', 'html', 'text'),
        async (password, shape) => {
          const err = await passwordLogin(password, () =>
            shape === 'json'
              ? json({ error: 'invalid_grant', error_description: `bad password ${password}` })
              : shape === 'html'
                ? new Response(`<html><title>Denied ${password}</title></html>`, {
                    status: 403,
                    headers: { 'Content-Type': 'text/html' },
                  })
                : new Response(`denied for ${password} today`, { status: 400 }),
          )
          expectNoSecret(err, password)
        },
      ),
      RUNS,
    )
  })

  // A one-word body is read as an error code, so a body that is the secret could become message and errorCode.
  it('as the whole one-word body: neither message nor errorCode shows it', async () => {
    const word = fc
      .string({
        unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'),
        minLength: 11,
        maxLength: 40,
      })
      .map((w) => `P${w}`)
    await fc.assert(
      fc.asyncProperty(word, async (password) => {
        const err = await passwordLogin(password, () => new Response(password, { status: 400 }))
        expectNoSecret(err, password)
      }),
      RUNS,
    )
  })

  // A secret that is URL-encoded in an echo does not contain the raw secret a plain match looks for.
  it('URL-encoded in error_description: never shows', async () => {
    await fc.assert(
      fc.asyncProperty(secretWith('&%+ é/=?#'), async (password) => {
        const err = await passwordLogin(password, () =>
          json({
            error: 'invalid_grant',
            error_description: `got password=${encodeURIComponent(password)}`,
          }),
        )
        expectNoSecret(err, password)
      }),
      RUNS,
    )
  })

  // The JSON-escaped form differs from the raw secret wherever it has quotes or backslashes.
  it('JSON-escaped in error_description: never shows', async () => {
    await fc.assert(
      fc.asyncProperty(secretWith('"\\'), async (password) => {
        const err = await passwordLogin(password, () =>
          json({
            error: 'invalid_grant',
            error_description: `request ${JSON.stringify({ password })}`,
          }),
        )
        expectNoSecret(err, password)
      }),
      RUNS,
    )
  })

  // The XML-escaped form differs from the raw secret wherever it has &, < or >.
  it('XML-escaped in error_description: never shows', async () => {
    await fc.assert(
      fc.asyncProperty(secretWith('&<>"\''), async (password) => {
        const escaped = password
          .replace(/&/g, '&amp;')
          .replace(/</g, '&lt;')
          .replace(/>/g, '&gt;')
          .replace(/"/g, '&quot;')
          .replace(/'/g, '&apos;')
        const err = await passwordLogin(password, () =>
          json({ error: 'invalid_grant', error_description: `<password>${escaped}</password>` }),
        )
        expectNoSecret(err, password)
      }),
      RUNS,
    )
  })

  // Error text has its whitespace collapsed, so a secret with line breaks shows in a changed form.
  it('with line breaks, in plain text: the collapsed form never shows either', async () => {
    await fc.assert(
      fc.asyncProperty(secretWith('\n\t'), async (password) => {
        const err = await passwordLogin(
          password,
          () => new Response(`denied ${password}`, { status: 400 }),
        )
        expectNoSecret(err, password)
      }),
      RUNS,
    )
  })

  // ERR_NETWORK's cause is the runtime's own error, which may quote the secret: it must be a scrubbed copy.
  it('quoted by a failing fetch: never shows in the ERR_NETWORK error or its cause', async () => {
    await fc.assert(
      fc.asyncProperty(printable, async (password) => {
        const conn = new Connection({
          fetch: async (input, init) => {
            const body = await new Request(input, init).text()
            throw new TypeError(`fetch failed while sending ${body}`)
          },
          oauth2: new OAuth2({
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            loginUrl: LOGIN_URL,
          }),
        })
        const err = await rejection(conn.login(USERNAME, password))
        expect(err.errorCode).toBe('ERR_NETWORK')
        expectNoSecret(err, password)
        expectNoSecret(err, CLIENT_SECRET)
      }),
      RUNS,
    )
  })
})

describe('REST API: the access token echoed back', () => {
  // errorCode is taken from the server's answer, so a server can put the secret there.
  it('as errorCode of a REST error array: never shows', async () => {
    await fc.assert(
      fc.asyncProperty(secretWith('!.'), async (token) => {
        const accessToken = `00D!${token}`
        const { fetch } = stubFetch(() => json([{ errorCode: accessToken, message: 'no' }], 400))
        const conn = new Connection({ fetch, accessToken, instanceUrl: INSTANCE_URL })
        const err = await rejection(conn.request('limits'))
        expectNoSecret(err, accessToken)
      }),
      RUNS,
    )
  })

  it('raw in a REST error message: never shows', async () => {
    await fc.assert(
      fc.asyncProperty(printable, async (token) => {
        const accessToken = `00D!${token}`
        const { fetch } = stubFetch(() =>
          json([{ errorCode: 'INVALID_FIELD', message: `bad ${accessToken}` }], 400),
        )
        const conn = new Connection({ fetch, accessToken, instanceUrl: INSTANCE_URL })
        const err = await rejection(conn.request('limits'))
        expectNoSecret(err, accessToken)
      }),
      RUNS,
    )
  })
})

describe('SOAP login: the password echoed in a fault', () => {
  it('raw or XML-escaped in the faultstring: never shows (the reader decodes, then scrubs)', async () => {
    await fc.assert(
      fc.asyncProperty(printable, async (password) => {
        const escaped = password.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
        const err = await soapPasswordLogin(password, `INVALID_LOGIN: ${escaped}`)
        expectNoSecret(err, password)
      }),
      RUNS,
    )
  })

  // soap-login builds its own fault messages: they must be scrubbed of the encoded forms too.
  it('URL-encoded in the faultstring: never shows', async () => {
    await fc.assert(
      fc.asyncProperty(secretWith('&%+ é/=?#'), async (password) => {
        const encoded = encodeURIComponent(password).replace(/&/g, '&amp;')
        const err = await soapPasswordLogin(password, `INVALID_LOGIN: ${encoded}`)
        expectNoSecret(err, password)
      }),
      RUNS,
    )
  })
})

describe('URLs with credentials', () => {
  it('a loginUrl with user:pass@ is refused or hidden, never echoed', () => {
    fc.assert(
      fc.property(secretWith('!$'), (password) => {
        const loginUrl = `https://admin:${encodeURIComponent(password)}@login.salesforce.com`
        let shown: string
        try {
          const conn = new Connection({ loginUrl })
          shown = `${JSON.stringify(conn)}\n${inspect(conn, { depth: 10 })}`
        } catch (err) {
          shown = `${String(err)}\n${inspect(err, { depth: 10 })}`
        }
        expect(shown).not.toContain(encodeURIComponent(password))
        expect(shown).not.toContain(password)
      }),
      RUNS,
    )
  })
})
