import { inspect } from 'node:util'
import { Connection } from '@sfauth/core'
import { OAuth2, parseSfdxAuthUrl, toSfdxAuthUrl } from '@sfauth/oauth2'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CLIENT_ID, LOGIN_URL, secretWith } from './helpers.js'

/**
 * Credentials in option URLs: `toJSON()` and `util.inspect` show a client's redirect URI and
 * login URL, so one that carries `user:password@` must be refused, in every spelling the URL
 * parser reads as userinfo (with or without `//`), and never echoed.
 */

const PASSWORD = 'hunter2-in-a-url'

/** What `make` shows: its JSON and inspect output, or every view of the error it threw. */
function shown(make: () => unknown): { threw: unknown; text: string } {
  try {
    const value = make()
    return { threw: undefined, text: `${JSON.stringify(value)}\n${inspect(value, { depth: 10 })}` }
  } catch (err) {
    const props = Object.fromEntries(
      Object.getOwnPropertyNames(err).map((k) => [k, (err as Record<string, unknown>)[k]]),
    )
    return {
      threw: err,
      text: `${String(err)}\n${JSON.stringify(props)}\n${inspect(err, { depth: 10 })}`,
    }
  }
}

const SLASHLESS = [
  `https:admin:${PASSWORD}@app.example.com/callback`,
  `https:/admin:${PASSWORD}@app.example.com/callback`,
  `https:\\\\admin:${PASSWORD}@app.example.com/callback`,
]

describe('a URL with credentials written without //', () => {
  it.each(SLASHLESS)('as new OAuth2({ redirectUri: %j }) is refused, never echoed', (url) => {
    const { threw, text } = shown(() => new OAuth2({ clientId: CLIENT_ID, redirectUri: url }))
    expect(threw).toBeInstanceOf(TypeError)
    expect(text).not.toContain(PASSWORD)
  })

  it.each(SLASHLESS.flatMap((url) => [['redirectUri', url] as const, ['loginUrl', url] as const]))(
    'as Connection({ oauth2: { %s: %j } }) is refused, never echoed',
    (what, url) => {
      const { threw, text } = shown(
        () => new Connection({ loginUrl: LOGIN_URL, oauth2: { clientId: CLIENT_ID, [what]: url } }),
      )
      expect(threw).toBeInstanceOf(TypeError)
      expect(text).not.toContain(PASSWORD)
    },
  )
})

describe('random URL forms with userinfo', () => {
  const form = fc.record({
    scheme: fc.constantFrom('https', 'http', 'HTTPS', 'myapp'),
    slashes: fc.constantFrom('//', '', '/', '\\', '\\\\', '/\\', '///'),
    user: fc.constantFrom('admin', 'a', 'user.name', ''),
    password: secretWith("!$&'()*+,;="),
    host: fc.constantFrom('app.example.com', 'localhost:3000', '127.0.0.1', '[::1]:8080'),
    path: fc.constantFrom('', '/', '/callback', '/cb?x=1', '#frag'),
  })
  // A custom scheme has an authority only after '//'; without it, `myapp:a:b@c` is a path.
  const withUserinfo = form.filter((f) => f.scheme !== 'myapp' || f.slashes === '//')
  const urlOf = (f: Record<'scheme' | 'slashes' | 'user' | 'password' | 'host' | 'path', string>) =>
    `${f.scheme}:${f.slashes}${f.user}:${f.password}@${f.host}${f.path}`

  it('are refused by new OAuth2() and Connection(), and the password never shows', () => {
    fc.assert(
      fc.property(withUserinfo, fc.constantFrom('oauth2', 'redirect', 'login'), (f, where) => {
        const url = urlOf(f)
        const { threw, text } = shown(() =>
          where === 'oauth2'
            ? new OAuth2({ clientId: CLIENT_ID, redirectUri: url })
            : new Connection({
                loginUrl: LOGIN_URL,
                oauth2: {
                  clientId: CLIENT_ID,
                  [where === 'redirect' ? 'redirectUri' : 'loginUrl']: url,
                },
              }),
        )
        expect(threw).toBeInstanceOf(TypeError)
        for (const form of [f.password, encodeURIComponent(f.password)]) {
          expect(text).not.toContain(form)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('SFDX auth URLs', () => {
  it('toSfdxAuthUrl() with an instance URL that does not parse names no value, in any property', () => {
    const { threw, text } = shown(() =>
      toSfdxAuthUrl({
        oauth2: { clientId: CLIENT_ID },
        refreshToken: '5Aep861.refresh-token-value',
        instanceUrl: `not a url ${PASSWORD}`,
      }),
    )
    expect(threw).toBeInstanceOf(TypeError)
    expect(text).not.toContain(PASSWORD)
    expect(text).not.toContain('refresh-token-value')
  })

  it('a second @ makes the host the one between the two, as the Salesforce CLI reads it', () => {
    // Kept on purpose (sfdx-core's pattern): an SFDX auth URL from someone else can name any
    // login host, so check `loginUrl` before sending its refresh token there.
    expect(parseSfdxAuthUrl('force://a::RT@evil.example:443@login.salesforce.com').loginUrl).toBe(
      'https://evil.example:443',
    )
  })
})
