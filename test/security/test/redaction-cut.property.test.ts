import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { soapLogin } from '@sfauth/soap-login'
import { echoAcross, pad, runsOf } from '@sfauth/test-kit/echo-across'
import { TOKEN_EXCHANGE_GRANT_TYPE, tokenExchange } from '@sfauth/token-exchange'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CLIENT_ID,
  CLIENT_SECRET,
  LOGIN_URL,
  rejection,
  stubFetch,
  USERNAME,
  views,
} from './helpers.js'

/**
 * Messages are cut before they are scrubbed, to bound the work whatever the body; a secret the
 * server echoes across that cut is not whole where scrub looks for it. Each property echoes a
 * random secret (raw, URL-encoded or JSON-escaped) so that it straddles the cut, after random
 * whitespace that the message collapses, and asserts what we mean by "nothing survives": no 8
 * consecutive characters of the echoed form appear in any view of the error (message,
 * errorCode, String, JSON, util.inspect, cause). The text around the echo uses none of the
 * secret's characters, so 8 of them in a row can only be the secret's.
 */

const across = echoAcross({
  secretChars: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!/+=_-',
  // What a status line may carry (no line break), with a few characters no secret uses.
  fillerUnits: [' ', '\t', '  ', '~', '|'],
})

/** `echoed` placed after filler so that it starts `before` characters ahead of `cut`. */
function straddling(filler: string, echoed: string, cut: number, before: number): string {
  return `${pad(filler, cut - Math.min(before, echoed.length - 1))}${echoed} and more`
}

function expectNoRun(err: unknown, echoed: string): void {
  for (const [where, text] of Object.entries(views(err))) {
    for (const run of runsOf(echoed)) {
      expect(text.includes(run), `"${run}" of the secret in ${where}`).toBe(false)
    }
  }
}

function passwordLogin(password: string, answer: Response) {
  const { fetch } = stubFetch(() => answer)
  const conn = new Connection({
    fetch,
    oauth2: new OAuth2({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, loginUrl: LOGIN_URL }),
  })
  return rejection(conn.login(USERNAME, password))
}

const RUNS = { numRuns: 80 }

/**
 * The property every echo below shares: `fail` gets the secret and the text to echo (the secret
 * in one of its forms, starting a random distance ahead of `cut`) and returns the error; no run
 * of the echoed form may survive in it.
 */
function echoedAcross(
  cut: number,
  fail: (secret: string, text: string) => Promise<unknown>,
): Promise<void> {
  return fc.assert(
    fc.asyncProperty(across, async ({ secret, form, filler, before }) => {
      const echoed = form(secret)
      expectNoRun(await fail(secret, straddling(filler, echoed, cut, before)), echoed)
    }),
    RUNS,
  )
}

const invalidGrant = (description: string) =>
  Response.json({ error: 'invalid_grant', error_description: description }, { status: 400 })

describe('a password echoed across the cut of the message', () => {
  it('in error_description (cut at 4000 characters)', () =>
    echoedAcross(4000, (secret, description) => passwordLogin(secret, invalidGrant(description))))

  it('in the status text (cut at 400 characters)', () =>
    echoedAcross(400, (secret, statusText) =>
      passwordLogin(secret, new Response('', { status: 400, statusText })),
    ))

  it('in an HTML title (cut at 800 characters)', () =>
    echoedAcross(800, (secret, title) =>
      passwordLogin(
        secret,
        new Response(`<html><head><title>${title}</title></head></html>`, {
          status: 403,
          headers: { 'Content-Type': 'text/html' },
        }),
      ),
    ))

  it('in a SOAP faultstring (cut at 4000 characters)', () =>
    echoedAcross(4000, (secret, faultstring) => {
      const { fetch } = stubFetch(
        () =>
          new Response(
            `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>${faultstring.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
            { status: 500, headers: { 'Content-Type': 'text/xml' } },
          ),
      )
      const conn = new Connection({ fetch, flows: [soapLogin()] })
      return rejection(conn.login(USERNAME, secret))
    }))
})

describe('a subject token echoed by the token exchange', () => {
  const exchange = (subjectToken: string, answer: Response) => {
    const { fetch } = stubFetch(() => answer)
    const conn = new Connection({
      fetch,
      loginUrl: LOGIN_URL,
      oauth2: { clientId: CLIENT_ID },
      flows: [
        tokenExchange({
          subjectToken,
          subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token',
        }),
      ],
    })
    return rejection(conn.authorize({ grant_type: TOKEN_EXCHANGE_GRANT_TYPE }))
  }

  it('across the cut of error_description', () =>
    echoedAcross(4000, (secret, description) => exchange(secret, invalidGrant(description))))

  it('as the whole error code', async () => {
    await fc.assert(
      fc.asyncProperty(
        across.map((a) => a.secret),
        async (token) => {
          const err = await exchange(token, Response.json({ error: token }, { status: 400 }))
          expect(err.errorCode).toBe('ERR_HTTP')
          expectNoRun(err, token)
        },
      ),
      RUNS,
    )
  })
})
