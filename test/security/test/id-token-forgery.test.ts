import { generateKeyPairSync, type KeyObject, sign as rsaSign } from 'node:crypto'
import { SfAuthError } from '@sfauth/core'
import { verifyIdToken } from '@sfauth/oauth2/openid'
import { useHostileServers } from '@sfauth/test-kit/hostile-server'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'

/**
 * Forged id_tokens, made as an attacker makes them: an RSA key of their own, `aud` = the victim
 * app's client id (public), `sub` = any user's identity URL, and an `iss` that makes
 * `verifyIdToken` fetch the attacker's key set. Without the `issuer` option only Salesforce's
 * login and My Domain hosts may be that issuer; nothing is fetched from anything else.
 */

const VICTIM_CLIENT = '3MVG9victim.app.client.id'
const VICTIM_USER = 'https://login.salesforce.com/id/00D000000000001EAA/005000000000001AAA'

interface Attacker {
  privateKey: KeyObject
  jwks: string
}

let attacker: Attacker

beforeAll(() => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'attacker', alg: 'RS256', use: 'sig' }
  attacker = { privateKey, jwks: JSON.stringify({ keys: [jwk] }) }
})

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/** An RS256 token signed with the attacker's key. */
function forge(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000)
  const head = `${b64({ alg: 'RS256', kid: 'attacker', typ: 'JWT' })}.${b64({
    sub: VICTIM_USER,
    aud: VICTIM_CLIENT,
    iat: now,
    exp: now + 300,
    ...claims,
  })}`
  return `${head}.${rsaSign('RSA-SHA256', Buffer.from(head), attacker.privateKey).toString('base64url')}`
}

/**
 * A scripted network where the attacker answers every URL with their key set (an uploaded
 * static resource, a Site's URL rewrite, a fake host), recording the URLs asked for.
 */
function attackerNetwork(): { fetch: typeof fetch; asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    fetch: async (input) => {
      asked.push(input instanceof Request ? input.url : String(input))
      return new Response(attacker.jwks, { headers: { 'content-type': 'application/json' } })
    },
  }
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (claims) => ({ verified: claims }),
    (err: unknown) => err,
  )
}

describe('a forged id_token with default options', () => {
  it.each([
    // The key URL was `${iss}/id/keys`: after a bare '#' or '?' the suffix is a fragment or a
    // query, so the keys come from the file the attacker uploaded to a site.
    ['a bare "#" after an uploaded file', 'https://victim.my.site.com/resource/1700000000/jwks#'],
    ['a bare "?" after an uploaded file', 'https://victim.my.site.com/resource/1700000000/jwks?'],
    ['an Experience Cloud site', 'https://victim.my.site.com'],
    ['a Salesforce Site', 'https://victim.my.salesforce-sites.com'],
    ['a force.com Site', 'https://victim.secure.force.com'],
    ['a site path on a My Domain host', 'https://victim.my.salesforce.com/resource/1/jwks'],
  ])('naming %s as issuer is refused, and nothing is fetched', async (_, iss) => {
    const net = attackerNetwork()
    const result = await outcome(
      verifyIdToken(forge({ iss }), { clientId: VICTIM_CLIENT, fetch: net.fetch }),
    )
    expect(result).toBeInstanceOf(SfAuthError)
    expect(result).toMatchObject({ errorCode: 'ERR_ID_TOKEN_INVALID' })
    expect(net.asked).toEqual([])
  })

  const { listen } = useHostileServers()

  it('naming a local service that serves uploads (loopback) is refused, and it gets no request', async () => {
    const asked: string[] = []
    const origin = await listen((req) => {
      asked.push(req.url ?? '')
      return [200, { 'Content-Type': 'application/json' }, attacker.jwks]
    })
    const result = await outcome(verifyIdToken(forge({ iss: origin }), { clientId: VICTIM_CLIENT }))
    expect(result).toMatchObject({ errorCode: 'ERR_ID_TOKEN_INVALID' })
    expect((result as Error).message).toContain('{ issuer }')
    expect(asked).toEqual([])
  })

  it('60 invented My Domain issuers make at most 16 requests, and 60 invented sites none', async () => {
    const net = attackerNetwork()
    const notFound: typeof fetch = async (input, init) => {
      await net.fetch(input, init)
      return new Response('Not found', { status: 404 })
    }
    const invented = (i: number) => `https://invented-${i}.my.salesforce.com`
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        outcome(
          verifyIdToken(forge({ iss: invented(i) }), { clientId: VICTIM_CLIENT, fetch: notFound }),
        ),
      ),
    )
    expect(results.every((r) => r instanceof SfAuthError)).toBe(true)
    expect(net.asked.length).toBeLessThanOrEqual(16)

    const sites = attackerNetwork()
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        outcome(
          verifyIdToken(forge({ iss: `https://invented-${i}.my.site.com` }), {
            clientId: VICTIM_CLIENT,
            fetch: sites.fetch,
          }),
        ),
      ),
    )
    expect(sites.asked).toEqual([])
  })

  it('a 64 MiB key set from a login host is not read whole', async () => {
    let pulled = 0
    const padding = new TextEncoder().encode(' '.repeat(256 * 1024))
    const keys = new TextEncoder().encode(attacker.jwks)
    const huge: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(keys)
          },
          pull(controller) {
            // Valid JSON all the way: the key set, then whitespace.
            if (pulled >= 64 * 1024 * 1024) return controller.close()
            pulled += padding.byteLength
            controller.enqueue(padding)
          },
        }),
        { headers: { 'content-type': 'application/json' } },
      )
    const result = await outcome(
      verifyIdToken(forge({ iss: 'https://login.salesforce.com' }), {
        clientId: VICTIM_CLIENT,
        fetch: huge,
      }),
    )
    expect(result).toMatchObject({ errorCode: 'ERR_INVALID_RESPONSE' })
    expect(pulled).toBeLessThan(2 * 1024 * 1024)
  })
})

describe('a token issued to another client that lists this one in aud', () => {
  const { listen } = useHostileServers()

  it.each([
    ['azp names the other client', { azp: '3MVG9attacker.client' }],
    ['no azp', {}],
  ])('is refused when %s', async (_, extra) => {
    // A real issuer (named with { issuer }), signing for the client that asked, which listed
    // the victim app as a second audience.
    const origin = await listen(() => [200, { 'Content-Type': 'application/json' }, attacker.jwks])
    const token = forge({ iss: origin, aud: ['3MVG9attacker.client', VICTIM_CLIENT], ...extra })
    const result = await outcome(verifyIdToken(token, { clientId: VICTIM_CLIENT, issuer: origin }))
    expect(result).toMatchObject({ errorCode: 'ERR_ID_TOKEN_INVALID' })
    expect((result as Error).message).toContain('"azp"')
  })
})

describe('random issuer URL forms', () => {
  const hosts = fc.constantFrom(
    'acme.my.salesforce.com',
    'acme--uat.sandbox.my.salesforce.com',
    'login.salesforce.com',
    'victim.my.site.com',
    'victim.secure.force.com',
    '127.0.0.1',
    'localhost',
  )
  const trusted = [
    'acme.my.salesforce.com',
    'acme--uat.sandbox.my.salesforce.com',
    'login.salesforce.com',
  ]
  const form = fc.record({
    scheme: fc.constantFrom('https://', 'http://', 'https:', 'https:/', 'https:\\\\', 'HTTPS://'),
    userinfo: fc.constantFrom('', '', 'user:pass@', 'user@', ':pass@', '@'),
    host: hosts,
    port: fc.constantFrom('', '', ':443', ':8443'),
    path: fc.constantFrom('', '', '/', '/resource/1/jwks', '/id/keys', '/..', '/%2e', '\\x'),
    tail: fc.constantFrom('', '', '?', '#', '?a=1', '#/id', '?#', '/?', '#?'),
  })

  const cleanForm = fc.record({
    scheme: fc.constantFrom('https://', 'HTTPS://'),
    userinfo: fc.constant(''),
    host: hosts,
    port: fc.constant(''),
    path: fc.constantFrom('', '/'),
    tail: fc.constant(''),
  })

  it('an iss with a raw "?" or "#" or with credentials is refused before any fetch, even when named', async () => {
    await fc.assert(
      fc.asyncProperty(
        form.filter((f) => /[?#]/.test(f.tail) || f.userinfo.length > 1),
        async (f) => {
          const iss = `${f.scheme}${f.userinfo}${f.host}${f.port}${f.path}${f.tail}`
          const net = attackerNetwork()
          for (const issuer of [undefined, iss]) {
            const result = await outcome(
              verifyIdToken(forge({ iss }), { clientId: VICTIM_CLIENT, fetch: net.fetch, issuer }),
            )
            expect(result).toMatchObject({ errorCode: 'ERR_ID_TOKEN_INVALID' })
          }
          expect(net.asked).toEqual([])
        },
      ),
      { numRuns: 150 },
    )
  })

  it('without { issuer } only https://<login or My Domain host> verifies, with keys from its /id/keys', async () => {
    await fc.assert(
      // Clean forms are rare among random ones: half the runs are drawn from them.
      fc.asyncProperty(fc.oneof(form, cleanForm), async (f) => {
        const iss = `${f.scheme}${f.userinfo}${f.host}${f.port}${f.path}${f.tail}`
        const net = attackerNetwork()
        const result = await outcome(
          verifyIdToken(forge({ iss }), { clientId: VICTIM_CLIENT, fetch: net.fetch }),
        )
        const clean =
          f.scheme.toLowerCase() === 'https://' &&
          f.userinfo === '' &&
          trusted.includes(f.host) &&
          f.port === '' &&
          (f.path === '' || f.path === '/') &&
          f.tail === ''
        if (clean) {
          expect(result).toMatchObject({ verified: { iss } })
          expect(net.asked).toEqual([`https://${f.host}/id/keys`])
        } else {
          expect(result).toMatchObject({ errorCode: 'ERR_ID_TOKEN_INVALID' })
          expect(net.asked).toEqual([])
        }
      }),
      { numRuns: 300 },
    )
  })
})
