import { inspect } from 'node:util'
import { rejection } from '@sfauth/test-kit'
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { verifyIdToken } from '../src/openid/index.js'

const CLIENT_ID = '3MVG9openid.client'
const LOGIN = 'https://login.salesforce.com'
const MY_DOMAIN = 'https://acme.my.salesforce.com'
const CUSTOM = 'https://community.acme.example'

interface Signer {
  kid: string
  privateKey: CryptoKey
  jwk: JWK
}

async function signer(kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  }
}

let keyA: Signer
let keyB: Signer
/** What each issuer publishes at /id/keys, and how often it was asked. */
let published: Map<string, JWK[]>
let fetches: Map<string, number>

const server = setupServer(
  http.get(/^https:\/\/[^/]+\/id\/keys$/, ({ request }) => {
    const origin = new URL(request.url).origin
    fetches.set(origin, (fetches.get(origin) ?? 0) + 1)
    const keys = published.get(origin)
    return keys ? HttpResponse.json({ keys }) : new HttpResponse('Not found', { status: 404 })
  }),
)

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' })
  ;[keyA, keyB] = await Promise.all([signer('A-2026'), signer('B-2026')])
})
afterAll(() => server.close())

// A fresh fetch per test: keys are cached per fetch function, so no test sees another's cache.
let testFetch: typeof fetch
beforeEach(() => {
  published = new Map([
    [LOGIN, [keyA.jwk]],
    [MY_DOMAIN, [keyB.jwk]],
  ])
  fetches = new Map()
  testFetch = (input, init) => fetch(input, init)
})
afterEach(() => {
  vi.useRealTimers()
  server.resetHandlers()
})

const now = () => Math.floor(Date.now() / 1000)

function sign(
  claims: Record<string, unknown> = {},
  key: Signer = keyB,
  header: Record<string, unknown> = {},
): Promise<string> {
  const iat = now()
  return new SignJWT({
    iss: MY_DOMAIN,
    sub: `${MY_DOMAIN}/id/00Dxx0000000001/005xx0000000001`,
    aud: CLIENT_ID,
    iat,
    exp: iat + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, ...header })
    .sign(key.privateKey)
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

const verify = (token: string, options: Partial<Parameters<typeof verifyIdToken>[1]> = {}) =>
  verifyIdToken(token, { clientId: CLIENT_ID, fetch: testFetch, ...options })

describe('verifyIdToken()', () => {
  it('returns the claims of a token signed by its issuer, with keys from that issuer', async () => {
    const claims = await verify(await sign({ nonce: 'n-1' }), { nonce: 'n-1' })
    expect(claims).toMatchObject({ iss: MY_DOMAIN, aud: CLIENT_ID, nonce: 'n-1' })
    expect(fetches.get(MY_DOMAIN)).toBe(1)
    expect(fetches.has(LOGIN)).toBe(false)
  })

  it('caches the keys per issuer', async () => {
    await verify(await sign())
    await verify(await sign())
    await verify(await sign({ iss: LOGIN }, keyA))
    expect(Object.fromEntries(fetches)).toEqual({ [MY_DOMAIN]: 1, [LOGIN]: 1 })
  })

  it('rejects a token for another client (aud)', async () => {
    const err = await rejection(verify(await sign({ aud: 'someone-else' })))
    expect(err.errorCode).toBe('ERR_ID_TOKEN_INVALID')
    expect(err.message).toContain('"aud"')
  })

  it("keeps no claim of a refused token in the error's cause (jose hangs the payload on it)", async () => {
    const email = 'private.person@example.com'
    const err = await rejection(verify(await sign({ aud: 'someone-else', email })))
    expect(err.errorCode).toBe('ERR_ID_TOKEN_INVALID')
    expect(err.cause).toBeInstanceOf(Error)
    expect(inspect(err, { depth: 10 })).not.toContain(email)
  })

  it('rejects an expired token beyond the clock tolerance, and accepts one within it', async () => {
    const expiredLongAgo = await sign({ iat: now() - 600, exp: now() - 120 })
    const err = await rejection(verify(expiredLongAgo, { clockTolerance: 60 }))
    expect(err).toMatchObject({ errorCode: 'ERR_ID_TOKEN_INVALID' })
    expect(err.message).toContain('"exp"')

    const justExpired = await sign({ iat: now() - 600, exp: now() - 10 })
    await expect(verify(justExpired, { clockTolerance: 60 })).resolves.toMatchObject({
      iss: MY_DOMAIN,
    })
    await expect(verify(justExpired, { clockTolerance: 0 })).rejects.toThrow('"exp"')
  })

  it('rejects an iat in the future beyond the clock tolerance', async () => {
    const future = await sign({ iat: now() + 120, exp: now() + 600 })
    const err = await rejection(verify(future, { clockTolerance: 30 }))
    expect(err).toMatchObject({ errorCode: 'ERR_ID_TOKEN_INVALID' })
    expect(err.message).toContain('"iat"')
    await expect(verify(future, { clockTolerance: 180 })).resolves.toBeDefined()
  })

  it('checks the nonce when one is given', async () => {
    const token = await sign({ nonce: 'sent-nonce' })
    const err = await rejection(verify(token, { nonce: 'another-nonce' }))
    expect(err).toMatchObject({ errorCode: 'ERR_ID_TOKEN_INVALID' })
    expect(err.message).toContain('"nonce"')
    // A token without a nonce when one was sent is a replay of another request's token.
    await expect(verify(await sign(), { nonce: 'sent-nonce' })).rejects.toThrow('"nonce"')
    await expect(verify(token, { nonce: 'sent-nonce' })).resolves.toMatchObject({
      nonce: 'sent-nonce',
    })
  })

  it('refetches the keys on an unknown kid (key rotation), at most once per cooldown', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-12-01T10:00:00Z'))
    await verify(await sign())
    expect(fetches.get(MY_DOMAIN)).toBe(1)

    // The issuer rotates to key A. Within the cooldown an unknown kid does not cause a request.
    published.set(MY_DOMAIN, [keyB.jwk, keyA.jwk])
    vi.setSystemTime(new Date('2026-12-01T10:00:10Z'))
    const early = await rejection(verify(await sign({}, keyA)))
    expect(early.errorCode).toBe('ERR_ID_TOKEN_INVALID')
    expect(fetches.get(MY_DOMAIN)).toBe(1)

    // After it, the unknown kid fetches the keys again and the token verifies.
    vi.setSystemTime(new Date('2026-12-01T10:01:00Z'))
    await expect(verify(await sign({}, keyA))).resolves.toMatchObject({ iss: MY_DOMAIN })
    expect(fetches.get(MY_DOMAIN)).toBe(2)
    // Both keys are now known: no further request.
    await verify(await sign())
    expect(fetches.get(MY_DOMAIN)).toBe(2)
  })

  it('refuses alg none and HS256 before fetching any key', async () => {
    const payload = { iss: MY_DOMAIN, sub: 'x', aud: CLIENT_ID, iat: now(), exp: now() + 300 }
    const none = `${b64url({ alg: 'none' })}.${b64url(payload)}.`
    expect((await rejection(verify(none))).message).toContain('RS256')

    const hs256 = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!'))
    const err = await rejection(verify(hs256))
    expect(err).toMatchObject({ errorCode: 'ERR_ID_TOKEN_INVALID' })
    expect(err.message).toContain('RS256')
    expect(fetches.size).toBe(0)
  })

  it('refuses an RS256 header over a token re-signed as HS256 with the public key', async () => {
    // The classic confusion attack: the header says RS256 but the signature is an HMAC.
    const forged = await sign()
    const [header, body] = forged.split('.')
    const mac = await crypto.subtle.sign(
      'HMAC',
      await crypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(JSON.stringify(keyB.jwk)),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      ),
      new TextEncoder().encode(`${header}.${body}`),
    )
    const token = `${header}.${body}.${Buffer.from(mac).toString('base64url')}`
    expect((await rejection(verify(token))).message).toContain('signature')
  })

  it('rejects an iss that is not https, or not a Salesforce host, without fetching', async () => {
    const http = await rejection(verify(await sign({ iss: 'http://acme.my.salesforce.com' })))
    expect(http).toMatchObject({ errorCode: 'ERR_ID_TOKEN_INVALID' })
    expect(http.message).toContain('https://')

    const elsewhere = await rejection(verify(await sign({ iss: 'https://evil.example' })))
    expect(elsewhere.message).toContain('not a Salesforce login or My Domain host')
    await expect(verify(await sign({ iss: 'not a url' }))).rejects.toThrow('"iss"')
    await expect(verify(await sign({ iss: undefined }))).rejects.toThrow('"iss"')
    expect(fetches.size).toBe(0)
  })

  it('accepts a custom-domain issuer only when the issuer option names it', async () => {
    published.set(CUSTOM, [keyA.jwk])
    const token = await sign({ iss: CUSTOM }, keyA)
    await expect(verify(token)).rejects.toThrow('not a Salesforce login or My Domain host')
    await expect(verify(token, { issuer: [LOGIN, `${CUSTOM}/`] })).resolves.toMatchObject({
      iss: CUSTOM,
    })
    // Pinning one issuer turns every other one away, Salesforce hosts included.
    await expect(verify(await sign(), { issuer: LOGIN })).rejects.toThrow('not among the allowed')
  })

  it("rejects a token whose key is not in its own issuer's key set", async () => {
    // Signed with login.salesforce.com's key (cached first) but claiming the My Domain: the keys
    // of one issuer never verify another's tokens.
    await verify(await sign({ iss: LOGIN }, keyA))
    const err = await rejection(verify(await sign({ iss: MY_DOMAIN }, keyA)))
    expect(err).toMatchObject({ errorCode: 'ERR_ID_TOKEN_INVALID' })
    expect(err.message).toMatch(/no applicable key|no matching key|key/i)
    expect(fetches.get(MY_DOMAIN)).toBe(1)
  })

  it('rejects a tampered payload', async () => {
    const [header, , signature] = (await sign()).split('.')
    const other = b64url({
      iss: MY_DOMAIN,
      sub: 'admin',
      aud: CLIENT_ID,
      iat: now(),
      exp: now() + 300,
    })
    const err = await rejection(verify(`${header}.${other}.${signature}`))
    expect(err.message).toContain('signature')
  })

  it('does not follow a redirect for the keys, and reports a missing key set', async () => {
    server.use(
      http.get(`${MY_DOMAIN}/id/keys`, () => HttpResponse.redirect(`${LOGIN}/id/keys`, 302)),
    )
    const redirected = await rejection(verify(await sign({}, keyA)))
    expect(redirected.errorCode).toBe('ERR_REDIRECT')
    expect(fetches.has(LOGIN)).toBe(false)

    published.delete(MY_DOMAIN)
    server.resetHandlers()
    const missing = await rejection(verify(await sign()))
    expect(missing).toMatchObject({ errorCode: 'ERR_HTTP', status: 404 })
  })

  it('reports a key set that is not JSON as ERR_INVALID_RESPONSE', async () => {
    server.use(
      http.get(`${MY_DOMAIN}/id/keys`, () => HttpResponse.text('<html>maintenance</html>')),
    )
    expect((await rejection(verify(await sign()))).errorCode).toBe('ERR_INVALID_RESPONSE')
  })

  it('never puts the token in an error', async () => {
    const token = await sign({ aud: 'someone-else' })
    const err = await rejection(verify(token))
    const [, payload, signature] = token.split('.') as [string, string, string]
    for (const text of [
      err.message,
      String(err),
      JSON.stringify(err),
      inspect(err, { depth: 10 }),
    ]) {
      expect(text).not.toContain(payload)
      expect(text).not.toContain(signature)
    }
  })

  it('throws a TypeError for a missing token or clientId', async () => {
    await expect(
      verifyIdToken(undefined as unknown as string, { clientId: CLIENT_ID }),
    ).rejects.toThrow(TypeError)
    await expect(verifyIdToken('a.b.c', { clientId: '' })).rejects.toThrow(TypeError)
    await expect(verify('not-a-jwt')).rejects.toMatchObject({ errorCode: 'ERR_ID_TOKEN_INVALID' })
  })
})

describe('verifyIdToken() issuers trusted without the issuer option', () => {
  /** Publishes key B at `origin`, signs a token naming `iss`, and verifies it with the defaults. */
  async function attempt(iss: string, origin = iss.replace(/\/+$/, '')) {
    published.set(origin.toLowerCase(), [keyB.jwk])
    return verify(await sign({ iss, sub: `${origin}/id/00Dxx0000000001/005xx0000000001` }))
  }

  it.each([
    'https://login.salesforce.com',
    'https://test.salesforce.com',
    'https://acme.my.salesforce.com',
    'https://acme.my.salesforce.com/',
    'https://acme--uat.sandbox.my.salesforce.com',
    'https://acme-dev-ed.develop.my.salesforce.com',
    'https://site-flow-1234.scratch.my.salesforce.com',
  ])('trusts the login or My Domain host %s, with keys from its /id/keys', async (iss) => {
    await expect(attempt(iss)).resolves.toMatchObject({ iss })
    expect([...fetches.keys()]).toEqual([iss.replace(/\/$/, '')])
  })

  it.each([
    // Sites and Experience Cloud sites serve what their org publishes (static resources, URL rewrites).
    'https://acme.my.site.com',
    'https://acme.force.com',
    'https://acme.secure.force.com',
    'https://acme.my.salesforce-sites.com',
    'https://acme.cloudforce.com',
    // Not documented as id_token issuers: named with { issuer } when used.
    'https://acme.my.salesforce.mil',
    'https://acme.my.sfcrmproducts.cn',
    'https://na15.salesforce.com',
    // Not a My Domain: no name, or more labels than any My Domain form has.
    'https://my.salesforce.com',
    'https://a.b.c.my.salesforce.com',
    'https://acme.my.salesforce.com.',
    // A path, a port or a query changes where the keys would come from.
    'https://acme.my.salesforce.com/resource/1/jwks',
    'https://acme.my.salesforce.com:8443',
    'https://acme.my.salesforce.com?',
    'https://acme.my.salesforce.com#',
    'https://user:pass@acme.my.salesforce.com',
    // Loopback: any local service that serves uploads would be an issuer.
    'https://localhost',
    'https://127.0.0.1',
  ])('refuses %s without fetching anything', async (iss) => {
    const err = await rejection(attempt(iss, 'https://acme.my.salesforce.com'))
    expect(err.errorCode).toBe('ERR_ID_TOKEN_INVALID')
    expect(err.message).toContain('"iss"')
    expect(fetches.size).toBe(0)
  })

  it('refuses an http issuer on a loopback host unless the issuer option names it', async () => {
    const err = await rejection(attempt('http://localhost:8080'))
    expect(err.message).toContain('{ issuer }')
    expect(fetches.size).toBe(0)
  })

  it('reads the host case-insensitively and fetches the keys from the parsed host', async () => {
    await expect(attempt('https://ACME.my.salesforce.com')).resolves.toBeDefined()
    expect([...fetches.keys()]).toEqual([MY_DOMAIN])
  })
})

describe('verifyIdToken() with the issuer option', () => {
  const SITE = 'https://acme.my.site.com/partners'

  it('fetches the keys under the named site path, built from the parsed URL', async () => {
    const seen: string[] = []
    server.use(
      http.get(`${SITE}/id/keys`, ({ request }) => {
        seen.push(request.url)
        return HttpResponse.json({ keys: [keyA.jwk] })
      }),
    )
    const token = await sign({ iss: SITE }, keyA)
    await expect(verify(token)).rejects.toThrow('{ issuer }')
    await expect(verify(token, { issuer: `${SITE}/` })).resolves.toMatchObject({ iss: SITE })
    expect(seen).toEqual([`${SITE}/id/keys`])
  })

  it.each(['?', '#', '?x=1', '#frag', '/jwks?', '/jwks#'])(
    'refuses an iss with a raw %s even when the issuer option names it exactly',
    async (suffix) => {
      const iss = `${SITE}${suffix}`
      const err = await rejection(verify(await sign({ iss }, keyA), { issuer: iss }))
      expect(err.message).toContain('query or a fragment')
      expect(fetches.size).toBe(0)
    },
  )

  it('is a URL string or a list of them', async () => {
    await expect(verify(await sign(), { issuer: [42] as unknown as string[] })).rejects.toThrow(
      TypeError,
    )
  })
})

describe('verifyIdToken() key set downloads', () => {
  it('refuses a key set larger than 256 KiB without reading all of it', async () => {
    let pulled = 0
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024))
    const huge: typeof fetch = async () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"keys":['))
          },
          pull(controller) {
            pulled += chunk.byteLength
            if (pulled > 64 * 1024 * 1024) controller.close()
            else controller.enqueue(chunk)
          },
        }),
        { headers: { 'content-type': 'application/json' } },
      )
    const err = await rejection(verify(await sign(), { fetch: huge }))
    expect(err).toMatchObject({ errorCode: 'ERR_INVALID_RESPONSE' })
    expect(pulled).toBeLessThan(1024 * 1024)
  })

  it('fetches the keys of at most 16 new issuers a minute, per fetch', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-12-01T10:00:00Z'))
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sign({ iss: `https://org${i}.my.salesforce.com` })),
    )
    const results = await Promise.all(tokens.map((t) => rejection(verify(t))))
    expect([...fetches.values()].reduce((a, b) => a + b, 0)).toBe(16)
    expect(results.filter((e) => e.message.includes('new issuers')).length).toBe(4)
    expect(results.every((e) => e.errorCode === 'ERR_ID_TOKEN_INVALID' || e.status === 404)).toBe(
      true,
    )
    // A cached issuer still verifies, and a minute later new issuers are fetched again.
    await expect(verify(await sign({ iss: MY_DOMAIN }))).rejects.toThrow('new issuers')
    vi.setSystemTime(new Date('2026-12-01T10:01:01Z'))
    await expect(verify(await sign({ iss: MY_DOMAIN }))).resolves.toBeDefined()
    await expect(verify(await sign({ iss: MY_DOMAIN }))).resolves.toBeDefined()
    expect(fetches.get(MY_DOMAIN)).toBe(1)
  })
})

describe('verifyIdToken() azp', () => {
  it('needs azp = clientId when aud names several audiences', async () => {
    const both = [CLIENT_ID, '3MVG9other.client']
    await expect(verify(await sign({ aud: both }))).rejects.toThrow('"azp" is missing')
    await expect(verify(await sign({ aud: both, azp: '3MVG9other.client' }))).rejects.toThrow(
      '"azp" is another client',
    )
    await expect(verify(await sign({ aud: both, azp: CLIENT_ID }))).resolves.toMatchObject({
      azp: CLIENT_ID,
    })
  })

  it('accepts a one-audience array without azp, and refuses any azp but clientId', async () => {
    await expect(verify(await sign({ aud: [CLIENT_ID] }))).resolves.toBeDefined()
    await expect(verify(await sign({ azp: 'someone-else' }))).rejects.toThrow('"azp"')
  })
})
