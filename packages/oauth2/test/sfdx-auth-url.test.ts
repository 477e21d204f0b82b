import { inspect } from 'node:util'
import { Connection, SfAuthError } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it } from 'vitest'
import { OAuth2, parseSfdxAuthUrl, toSfdxAuthUrl } from '../src/index.js'
import { authorizedConnection, CLIENT_ID, CLIENT_SECRET } from './helpers.js'

const ctx = useMswEmulator()

// The cases of sfdx-core's test/unit/org/authInfo.test.ts ("parseSfdxAuthUrl"), so that what the
// CLI accepts is accepted here with the same fields.
const CLI_TOKEN =
  '5Aep861_OKMvio5gy8xCNsXxybPdupY9fVEZyeVOvb4kpOZx5Z1QLB7k7n5flEqEWKcwUQEX1I.O5DCFwjlYUB.'
const CLI_CLIENT =
  '3MVG9SemV5D80oBfPBCgboxuJ9cOMLWNM1DDOZ8zgvJGsz13H3J66coUBCFF3N0zEgLYijlkqeWk4ot_Q2.4o'

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a throw')
}

describe('parseSfdxAuthUrl()', () => {
  it('parses a URL with no client secret (the CLI default app)', () => {
    expect(parseSfdxAuthUrl(`force://PlatformCLI::${CLI_TOKEN}@test.my.salesforce.com`)).toEqual({
      clientId: 'PlatformCLI',
      refreshToken: CLI_TOKEN,
      loginUrl: 'https://test.my.salesforce.com',
    })
  })

  it('parses an id, secret and token that end in = or == (padding)', () => {
    const token =
      '5Aep861_OKMvio5gy8xCNsXxybPdupY9fVEZyeVOvb4kpOZx5Z1QLB7k7n5flEqEWKcwUQEX1I.O5DCFwjlYU=='
    expect(
      parseSfdxAuthUrl(
        `force://${CLI_CLIENT}=:438437816653243682==:${token}@test.my.salesforce.com`,
      ),
    ).toEqual({
      clientId: `${CLI_CLIENT}=`,
      clientSecret: '438437816653243682==',
      refreshToken: token,
      loginUrl: 'https://test.my.salesforce.com',
    })
  })

  it('parses a URL with a client secret', () => {
    expect(
      parseSfdxAuthUrl(
        `force://${CLI_CLIENT}:438437816653243682:${CLI_TOKEN}@test.my.salesforce.com`,
      ),
    ).toEqual({
      clientId: CLI_CLIENT,
      clientSecret: '438437816653243682',
      refreshToken: CLI_TOKEN,
      loginUrl: 'https://test.my.salesforce.com',
    })
  })

  it('reads a host written with https:// as the CLI does: up to the first character outside its alphabet', () => {
    // sfdx-core's pattern allows ':' in the host (for a port), so "https://x" yields host "https:";
    // the CLI then fails on first use, and so does this library: same rules, same outcome.
    expect(
      parseSfdxAuthUrl(`force://app::${CLI_TOKEN}@https://test.my.salesforce.com`).loginUrl,
    ).toBe('https://https:')
  })

  it('reads the host after the first @ following the refresh token, as the CLI does', () => {
    // Pinned: a URL with a second '@' logs in at the host between the two, not the last one.
    // sfdx-core's pattern reads it the same way; the README and SECURITY.md say so.
    const parsed = parseSfdxAuthUrl('force://a::RT@evil.example:443@login.salesforce.com')
    expect(parsed).toEqual({
      clientId: 'a',
      refreshToken: 'RT',
      loginUrl: 'https://evil.example:443',
    })
  })

  it('keeps a port on the host and ignores anything after the host', () => {
    expect(
      parseSfdxAuthUrl(`force://app:s:${CLI_TOKEN}@acme.my.salesforce.com:8443`).loginUrl,
    ).toBe('https://acme.my.salesforce.com:8443')
    // A trailing newline (a secret pasted into CI) or a path: the CLI reads up to the host.
    const parsed = parseSfdxAuthUrl(`force://app:s:${CLI_TOKEN}@acme.my.salesforce.com/some/path\n`)
    expect(parsed).toEqual({
      clientId: 'app',
      clientSecret: 's',
      refreshToken: CLI_TOKEN,
      loginUrl: 'https://acme.my.salesforce.com',
    })
  })

  it.each([
    ['no scheme', `PlatformCLI::${CLI_TOKEN}@test.my.salesforce.com`],
    ['an https scheme', `https://PlatformCLI::${CLI_TOKEN}@test.my.salesforce.com`],
    ['no client id', `force://:secret:${CLI_TOKEN}@test.my.salesforce.com`],
    ['the refresh-token-only form', `force://${CLI_TOKEN}@test.my.salesforce.com`],
    ['an empty refresh token', 'force://PlatformCLI:secret:@test.my.salesforce.com'],
    [
      'three = at the end of a field',
      `force://PlatformCLI:secret===:${CLI_TOKEN}@test.my.salesforce.com`,
    ],
    [
      'a character outside the alphabet',
      `force://PlatformCLI:se/cret:${CLI_TOKEN}@test.my.salesforce.com`,
    ],
    ['no host', `force://PlatformCLI:secret:${CLI_TOKEN}@`],
    ['leading whitespace', ` force://PlatformCLI::${CLI_TOKEN}@test.my.salesforce.com`],
  ])('rejects %s with INVALID_SFDX_AUTH_URL', (_, url) => {
    const err = thrown(() => parseSfdxAuthUrl(url))
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'INVALID_SFDX_AUTH_URL' })
    expect((err as Error).message).toContain(
      'force://<clientId>:<clientSecret>:<refreshToken>@<host>',
    )
  })

  it('rejects a value that is not a string', () => {
    expect(thrown(() => parseSfdxAuthUrl(undefined as unknown as string))).toMatchObject({
      errorCode: 'INVALID_SFDX_AUTH_URL',
    })
  })

  it('never echoes the secret or the refresh token of a bad URL', () => {
    const secret = 'VerySecretClientSecret123'
    const token = '5Aep861RefreshTokenThatMustNotLeak.xyz'
    // No host: everything before it is a well-formed secret and token.
    const err = thrown(() => parseSfdxAuthUrl(`force://app:${secret}:${token}@`))
    expect(err).toMatchObject({ errorCode: 'INVALID_SFDX_AUTH_URL' })
    const renderings = [
      (err as Error).message,
      String(err),
      JSON.stringify(err),
      inspect(err, { depth: 10 }),
      String((err as Error).stack),
      String((err as { cause?: unknown }).cause),
    ]
    for (const text of renderings) {
      expect(text).not.toContain(secret)
      expect(text).not.toContain(token)
    }
  })
})

describe('toSfdxAuthUrl()', () => {
  it('writes the instance host, client id, secret and refresh token, and parses back', async () => {
    const conn = await authorizedConnection(ctx.emu)
    const url = toSfdxAuthUrl(conn)
    const host = new URL(conn.instanceUrl as string).host
    expect(url).toBe(`force://${CLIENT_ID}:${CLIENT_SECRET}:${conn.refreshToken}@${host}`)
    expect(parseSfdxAuthUrl(url)).toEqual({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshToken: conn.refreshToken,
      loginUrl: `https://${host}`,
    })
  })

  it('round-trips: parse(to(conn)) gives the connection fields back, port and padding included', () => {
    const cases = [
      { clientId: 'PlatformCLI', refreshToken: 'rt', instanceUrl: 'https://a.my.salesforce.com' },
      {
        clientId: `${CLI_CLIENT}=`,
        clientSecret: '438437816653243682==',
        refreshToken: `${CLI_TOKEN}==`,
        instanceUrl: 'https://b.sandbox.my.salesforce.com:8443/',
      },
    ]
    for (const { clientId, clientSecret, refreshToken, instanceUrl } of cases) {
      const conn = new Connection({
        oauth2: { clientId, ...(clientSecret ? { clientSecret } : {}) },
        instanceUrl,
        accessToken: '00Dx!token',
        refreshToken,
      })
      expect(parseSfdxAuthUrl(toSfdxAuthUrl(conn))).toEqual({
        clientId,
        ...(clientSecret ? { clientSecret } : {}),
        refreshToken,
        loginUrl: new URL(instanceUrl).origin,
      })
    }
  })

  it('uses the login URL while the connection has no instance URL yet', () => {
    const conn = new Connection({
      loginUrl: 'https://acme.my.salesforce.com',
      oauth2: new OAuth2({ clientId: 'app', loginUrl: 'https://acme.my.salesforce.com' }),
      refreshToken: 'rt',
    })
    expect(toSfdxAuthUrl(conn)).toBe('force://app::rt@acme.my.salesforce.com')
  })

  it('throws a TypeError without a refresh token or a client id', () => {
    const noRefresh = new Connection({
      oauth2: { clientId: 'app' },
      instanceUrl: 'https://a.my.salesforce.com',
      accessToken: '00Dx!token',
    })
    expect(() => toSfdxAuthUrl(noRefresh)).toThrow(TypeError)
    const noClient = new Connection({
      instanceUrl: 'https://a.my.salesforce.com',
      accessToken: '00Dx!token',
      refreshToken: 'rt',
    })
    expect(() => toSfdxAuthUrl(noClient)).toThrow(/clientId/)
  })

  it('throws a clean TypeError for an instance URL that does not parse, naming no value', () => {
    const instanceUrl = 'not a url, 00Dx!secret-looking-value'
    const err = thrown(() =>
      toSfdxAuthUrl({ oauth2: { clientId: 'app' }, refreshToken: 'rt-value-xyz', instanceUrl }),
    )
    expect(err).toBeInstanceOf(TypeError)
    // Node's own ERR_INVALID_URL carries the value in `input` (and a `code`): none of that here.
    expect(Object.getOwnPropertyNames(err)).toEqual(['stack', 'message'])
    expect((err as Error).cause).toBeUndefined()
    const shown = `${String(err)}${JSON.stringify(err)}${inspect(err, { depth: 10 })}`
    expect(shown).not.toContain('secret-looking-value')
    expect(shown).not.toContain('rt-value-xyz')
  })

  it('refuses a field the format cannot carry, without naming it', () => {
    const conn = new Connection({
      oauth2: { clientId: 'app', clientSecret: 'has:colon' },
      instanceUrl: 'https://a.my.salesforce.com',
      accessToken: '00Dx!token',
      refreshToken: 'rt',
    })
    const err = thrown(() => toSfdxAuthUrl(conn))
    expect(err).toBeInstanceOf(TypeError)
    expect((err as Error).message).not.toContain('has:colon')
  })
})

describe('a connection made from a parsed URL', () => {
  it('renews with its refresh token on the first request', async () => {
    const original = await authorizedConnection(ctx.emu)
    const { clientId, clientSecret, refreshToken, loginUrl } = parseSfdxAuthUrl(
      toSfdxAuthUrl(original),
    )
    const conn = new Connection({
      loginUrl,
      oauth2: new OAuth2({ clientId, clientSecret, loginUrl }),
      refreshToken,
    })
    expect(conn.accessToken).toBeUndefined()
    const claims = await conn.identity()
    expect(claims).toMatchObject({ preferred_username: expect.any(String) })
    expect(ctx.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
    expect(conn.instanceUrl).toBe(original.instanceUrl)
  })
})
