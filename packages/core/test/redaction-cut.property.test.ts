import { echoAcross, pad, runsOf } from '@sfauth/test-kit/echo-across'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { errorFromResponse, serverError } from '../src/flow.js'

/**
 * Server text is cut before it is scrubbed (the work stays bounded whatever the body), so a
 * secret echoed across the cut is not whole where scrub looks for it. The property: for a
 * random secret echoed (raw, URL-encoded or JSON-escaped) so that it straddles the cut, with
 * random whitespace before it that the message collapses, no 8 consecutive characters of the
 * echoed form appear in the message or the errorCode. The text around it uses none of the
 * secret's characters, so 8 of them in a row can only come from the secret.
 */

const across = echoAcross({
  secretChars: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!/+=_-"',
  // Whitespace, with a few visible characters none of which a secret uses.
  fillerUnits: [' ', '\n', '\t', '  ', '~', '|'],
})

function expectNoRun(shown: string, echoed: string): void {
  for (const run of runsOf(echoed)) {
    expect(shown.includes(run), `"${run}" of the secret in ${JSON.stringify(shown)}`).toBe(false)
  }
}

describe('a secret echoed across the cut leaves no 8 characters of itself', () => {
  it('in an OAuth error_description (cut at 4000)', () => {
    fc.assert(
      fc.property(across, ({ secret, form, filler, before }) => {
        const echoed = form(secret)
        const at = 4000 - Math.min(before, echoed.length - 1)
        const description = `${pad(filler, at)}${echoed} and more`
        const err = errorFromResponse(
          {
            status: 400,
            headers: new Headers({ 'Content-Type': 'application/json' }),
            text: JSON.stringify({ error: 'invalid_grant', error_description: description }),
          },
          [secret],
        )
        expectNoRun(`${err.message}\n${err.errorCode}`, echoed)
      }),
      { numRuns: 200 },
    )
  })

  it('in a status text (cut at 400)', () => {
    fc.assert(
      fc.property(across, ({ secret, form, filler, before }) => {
        const echoed = form(secret)
        const at = 400 - Math.min(before, echoed.length - 1)
        const err = errorFromResponse(
          {
            status: 401,
            statusText: `${pad(filler, at)}${echoed} tail`,
            headers: new Headers(),
            text: '',
          },
          [secret],
        )
        expectNoRun(err.message, echoed)
      }),
      { numRuns: 200 },
    )
  })

  it('in an HTML title (cut at 800)', () => {
    fc.assert(
      fc.property(across, ({ secret, form, filler, before }) => {
        const echoed = form(secret)
        const at = 800 - Math.min(before, echoed.length - 1)
        const err = errorFromResponse(
          {
            status: 403,
            headers: new Headers({ 'Content-Type': 'text/html' }),
            text: `<html><head><title>${pad(filler, at)}${echoed}</title></head></html>`,
          },
          [secret],
        )
        expectNoRun(err.message, echoed)
      }),
      { numRuns: 200 },
    )
  })

  it('in a message given to serverError (a SOAP faultstring)', () => {
    fc.assert(
      fc.property(across, ({ secret, form, filler, before }) => {
        const echoed = form(secret)
        const at = 4000 - Math.min(before, echoed.length - 1)
        const err = serverError({ errorCode: 'INVALID_LOGIN', message: pad(filler, at) + echoed }, [
          secret,
        ])
        expectNoRun(err.message, echoed)
      }),
      { numRuns: 200 },
    )
  })
})

describe('serverError: the rules of errorFromResponse for a code and message found elsewhere', () => {
  it('a code that is a secret or longer than 100 characters becomes ERR_HTTP', () => {
    const password = 'P4ssw0rd-echoed-as-code'
    expect(serverError({ errorCode: password, message: 'x' }, [password]).errorCode).toBe(
      'ERR_HTTP',
    )
    expect(serverError({ errorCode: `A${'B'.repeat(100)}`, message: 'x' }).errorCode).toBe(
      'ERR_HTTP',
    )
    expect(serverError({ errorCode: 'INVALID_LOGIN', message: 'x', status: 500 })).toMatchObject({
      errorCode: 'INVALID_LOGIN',
      status: 500,
    })
  })

  it('a message is cut to 1000 characters and loses its control characters', () => {
    const err = serverError({
      errorCode: 'X',
      message: `\u001b[31mred\u0007\u0000${'y'.repeat(200_000)}`,
    })
    expect(err.message.length).toBeLessThanOrEqual(1001)
    expect(err.message.startsWith('[31mredyyy')).toBe(true)
    expect(err.message).not.toMatch(/\p{Cc}/u)
  })
})
