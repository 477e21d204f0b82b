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
    expect(elsewhere.message).toContain('not a Salesforce host')
    await expect(verify(await sign({ iss: 'not a url' }))).rejects.toThrow('"iss"')
    await expect(verify(await sign({ iss: undefined }))).rejects.toThrow('"iss"')
    expect(fetches.size).toBe(0)
  })

  it('accepts a custom-domain issuer only when the issuer option names it', async () => {
    published.set(CUSTOM, [keyA.jwk])
    const token = await sign({ iss: CUSTOM }, keyA)
    await expect(verify(token)).rejects.toThrow('not a Salesforce host')
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
    expect(redirected.errorCode).toBe('ERR_HTTP')
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
