import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { carriesCredentials, errorFromResponse, scrub, secureUrl } from '../src/flow.js'
import { Connection, type ConnectionOptions } from '../src/index.js'

/**
 * Written as the attack, because a secret must not show in any error (SECURITY.md): a server
 * echoes the secret in another form, as the whole body or as the error code; a URL carries
 * credentials; an input is echoed whole.
 */

const SECRET = 'Pa ss&<w>"o\'rd/é=?#+%'
const views = (err: Error & { errorCode?: string }) =>
  [err.message, err.errorCode, String(err), JSON.stringify(err), inspect(err, { depth: 10 })].join(
    '\n',
  )

describe('scrub', () => {
  it('hides the raw secret and every encoded form of it', () => {
    const forms = [
      SECRET,
      encodeURIComponent(SECRET),
      new URLSearchParams({ s: SECRET }).toString().slice(2),
      JSON.stringify(SECRET).slice(1, -1),
      SECRET.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
      SECRET.replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&apos;'),
    ]
    for (const form of forms) {
      expect(scrub(`before ${form} after`, [SECRET])).toBe('before [redacted] after')
    }
  })

  it('hides a secret with line breaks once whitespace is collapsed', () => {
    expect(scrub('x pass word y', ['pass\n\tword'])).toBe('x [redacted] y')
  })
})

describe('errorFromResponse', () => {
  const headers = new Headers()

  it('a one-word body that is the secret shows neither as message nor as errorCode', () => {
    const err = errorFromResponse({ status: 400, headers, text: 'Psecretword123' }, [
      'Psecretword123',
    ])
    expect(err.errorCode).toBe('ERR_HTTP')
    expect(views(err)).not.toContain('Psecretword123')
  })

  it('an errorCode that carries the token is replaced by ERR_HTTP', () => {
    const token = '00D000000000001!AQ0AQ.echoed'
    const err = errorFromResponse(
      { status: 400, headers, text: JSON.stringify([{ errorCode: token, message: 'no' }]) },
      [token],
    )
    expect(err.errorCode).toBe('ERR_HTTP')
    expect(views(err)).not.toContain(token)
    const oauth = errorFromResponse(
      { status: 400, headers, text: JSON.stringify({ error: `bad ${token}` }) },
      [token],
    )
    expect(views(oauth)).not.toContain(token)
  })

  it('keeps Salesforce codes; a code too long to be one is not kept', () => {
    const ok = errorFromResponse(
      { status: 400, headers, text: '{"error":"invalid_grant","error_description":"x"}' },
      ['unrelated-secret'],
    )
    expect(ok.errorCode).toBe('invalid_grant')
    const long = errorFromResponse({
      status: 400,
      headers,
      text: JSON.stringify({ error: 'E'.repeat(5000) }),
    })
    expect(long.errorCode).toBe('ERR_HTTP')
    expect(long.message.length).toBeLessThan(1100)
  })

  it('the work on an error body is bounded: 5 MB of whitespace is cut before it is collapsed', () => {
    const text = `${' \n'.repeat(2_500_000)}Oops`
    const started = performance.now()
    const err = errorFromResponse({
      status: 500,
      headers,
      text: `<html><title>${text}</title></html>`,
    })
    expect(err.message.length).toBeLessThan(300)
    // Generous: the point is linear work on the cut text, not a benchmark (bench/ has those).
    expect(performance.now() - started).toBeLessThan(2000)
  })
})

describe('URLs with credentials, inputs echoed', () => {
  it('secureUrl refuses user:password@ without showing it', () => {
    expect(() =>
      secureUrl('https://admin:hunter2-secret@login.salesforce.com', 'loginUrl'),
    ).toThrow(/must not carry credentials/)
    try {
      secureUrl('https://admin:hunter2-secret@login.salesforce.com', 'loginUrl')
    } catch (err) {
      expect(views(err as Error)).not.toContain('hunter2-secret')
    }
  })

  it('a value that is not a URL is not echoed in the TypeError', () => {
    try {
      secureUrl('password=hunter2-secret not a url', 'tokenServiceUrl')
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(TypeError)
      expect(views(err as Error)).not.toContain('hunter2-secret')
    }
  })

  it.each<ConnectionOptions>([
    { loginUrl: 'https://admin:hunter2-secret@login.salesforce.com' },
    { oauth2: { clientId: 'c', redirectUri: 'https://u:hunter2-secret@app.example.com/cb' } },
    { oauth2: { clientId: 'c', redirectUri: 'myapp://u:hunter2-secret@callback' } },
    { oauth2: { clientId: 'c', loginUrl: 'https://u:hunter2-secret@login.salesforce.com' } },
  ])('new Connection(%#) with credentials in a URL is refused, never echoed', (options) => {
    let shown = ''
    try {
      shown = JSON.stringify(new Connection(options))
    } catch (err) {
      shown = views(err as Error)
      expect(err).toBeInstanceOf(TypeError)
    }
    expect(shown).not.toContain('hunter2-secret')
    expect(shown).toContain('credentials')
  })
})

describe('URLs with credentials written without //', () => {
  // The URL parser reads userinfo after `https:`, `https:/` and `https:\\` as it does after
  // `https://`; a check that looks for '://' lets these through and toJSON() prints them.
  const forms = [
    'https:u:hunter2-secret@app.example.com/cb',
    'https:/u:hunter2-secret@app.example.com/cb',
    'https:\\u:hunter2-secret@app.example.com/cb',
    'https:\\\\u:hunter2-secret@app.example.com/cb',
    'HTTP:u:hunter2-secret@localhost:3000/cb',
    ' https://u:hunter2-secret@app.example.com/cb',
  ]

  it.each(forms)('carriesCredentials(%j) is true', (url) => {
    expect(carriesCredentials(url)).toBe(true)
  })

  it.each([
    'https://app.example.com/cb',
    'https://app.example.com/cb?to=a@b.example',
    'https://app.example.com/a@b',
    'myapp:/callback',
    'http://localhost:3000/callback',
  ])('carriesCredentials(%j) is false', (url) => {
    expect(carriesCredentials(url)).toBe(false)
  })

  it('counts an @ in a value that does not parse', () => {
    expect(carriesCredentials('https://u:hunter2-secret@[bad')).toBe(true)
    expect(carriesCredentials('not a url')).toBe(false)
  })

  it.each(forms.flatMap((url) => [['redirectUri', url] as const, ['loginUrl', url] as const]))(
    'new Connection({ oauth2: { %s: %j } }) is refused, never echoed',
    (what, url) => {
      let err: unknown
      let shown = ''
      try {
        const conn = new Connection({
          loginUrl: 'https://login.salesforce.com',
          oauth2: { clientId: 'c', [what]: url },
        })
        shown = `${JSON.stringify(conn)}${inspect(conn, { depth: 10 })}`
      } catch (e) {
        err = e
        shown = views(e as Error)
      }
      expect(err).toBeInstanceOf(TypeError)
      expect(shown).not.toContain('hunter2-secret')
    },
  )
})
