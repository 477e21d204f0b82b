import { rejection } from '@sfauth/test-kit'
import { describe, expect, it } from 'vitest'
import {
  callTokenEndpoint,
  createHttp,
  type Session,
  sessionFromToken,
  type TokenResponse,
} from '../src/flow.js'

/**
 * Token answers are checked before anything in them is kept, written as the attack: a token
 * endpoint (or whoever answers in its place) sends an instance URL the token must not go to,
 * fields of the wrong type, an empty refresh token, no signature, or nothing at all.
 */

const LOGIN = 'https://login.salesforce.com'
const CLIENT_SECRET = 'token-answer-client-secret'
const good = {
  access_token: '00D000000000001!AQ0AQ.token-answer',
  instance_url: 'https://acme.my.salesforce.com',
  id: `${LOGIN}/id/00D000000000001AAA/005000000000001AAA`,
  token_type: 'Bearer',
}

async function signed(res: Record<string, unknown>, secret = CLIENT_SECRET) {
  const issued_at = '1767225600000'
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign(
    'HMAC',
    key,
    new TextEncoder().encode(`${res.id}${issued_at}`),
  )
  return { ...res, issued_at, signature: btoa(String.fromCharCode(...new Uint8Array(mac))) }
}

function call(
  answer: unknown,
  options: { loginUrl?: string; grant?: string; clientSecret?: string; status?: number } = {},
) {
  const fetch: typeof globalThis.fetch = async () =>
    new Response(typeof answer === 'string' ? answer : JSON.stringify(answer), {
      status: options.status ?? 200,
      headers: { 'Content-Type': 'application/json' },
    })
  return callTokenEndpoint(
    { http: createHttp({ fetch }), loginUrl: options.loginUrl ?? LOGIN },
    { grant_type: options.grant ?? 'password', password: 'p4ssw0rd-token-answer' },
    options.clientSecret ? { clientSecret: options.clientSecret } : {},
  )
}

describe('instance URLs (item 8, item 10)', () => {
  it.each([
    'http://127.0.0.1:6379',
    'http://localhost:8080',
    'http://[::1]:9229',
    'http://evil.example',
  ])('an https login answering %s is refused with ERR_INSECURE_URL', async (instance_url) => {
    const err = await rejection(call({ ...good, instance_url }))
    expect(err.errorCode).toBe('ERR_INSECURE_URL')
  })

  it('a loopback http login (the emulator) may answer a loopback http instance URL', async () => {
    const res = await call(
      { ...good, instance_url: 'http://127.0.0.1:7001' },
      { loginUrl: 'http://127.0.0.1:7000' },
    )
    expect(res.instance_url).toBe('http://127.0.0.1:7001')
  })

  it.each([
    'not a url',
    '/relative',
    'https://user:pw-in-url@acme.my.salesforce.com',
    'https://x.lightning.force.com',
  ])(
    'an instance_url that is not an instance URL (%s) is ERR_INVALID_RESPONSE, never echoed',
    async (instance_url) => {
      const err = await rejection(call({ ...good, instance_url }))
      expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
      expect(err.message).not.toContain(instance_url)
      expect(err.message).not.toContain('pw-in-url')
    },
  )
})

describe('token answer fields (item 9)', () => {
  it.each(['refresh_token', 'signature', 'issued_at', 'scope', 'id_token', 'access_token'])(
    'a %s that is not a string is refused',
    async (field) => {
      for (const bad of [42, { nested: true }, ['x'], true]) {
        const err = await rejection(call({ ...good, [field]: bad }))
        expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
        expect(err.status).toBe(200)
      }
    },
  )

  it('refresh_token "" is no refresh token: the answer drops it and the previous one is kept', async () => {
    const res = await call({ ...good, refresh_token: '' })
    expect(res).not.toHaveProperty('refresh_token')
    const previous: Session = {
      accessToken: 'old',
      instanceUrl: good.instance_url,
      kind: 'oauth2',
      refreshToken: '5Aep861-previous',
    }
    for (const bad of ['', 0, {}, null, false]) {
      const session = sessionFromToken(
        { ...good, refresh_token: bad } as unknown as TokenResponse,
        previous,
      )
      expect(session.refreshToken).toBe('5Aep861-previous')
    }
    expect(
      sessionFromToken({ ...good, refresh_token: '5Aep861-rotated' }, previous).refreshToken,
    ).toBe('5Aep861-rotated')
  })

  it('an empty 200 answer is ERR_INVALID_RESPONSE with status 200', async () => {
    const err = await rejection(call(''))
    expect(err.errorCode).toBe('ERR_INVALID_RESPONSE')
    expect(err.status).toBe(200)
  })
})

describe('signatures, per grant (item 9)', () => {
  it.each(['authorization_code', 'refresh_token', 'client_credentials', 'device'])(
    'a %s answer without signature or issued_at is refused when the client secret is known',
    async (grant) => {
      const err = await rejection(call(good, { grant, clientSecret: CLIENT_SECRET }))
      expect(err.errorCode).toBe('ERR_SIGNATURE')
      const onlyIssued = await rejection(
        call({ ...good, issued_at: '1767225600000' }, { grant, clientSecret: CLIENT_SECRET }),
      )
      expect(onlyIssued.errorCode).toBe('ERR_SIGNATURE')
      await expect(
        call(await signed(good), { grant, clientSecret: CLIENT_SECRET }),
      ).resolves.toMatchObject({ access_token: good.access_token })
    },
  )

  it.each(['password', 'urn:ietf:params:oauth:grant-type:jwt-bearer'])(
    'a %s answer is checked when signed, and may come unsigned (Salesforce does not document a signature)',
    async (grant) => {
      await expect(call(good, { grant, clientSecret: CLIENT_SECRET })).resolves.toBeDefined()
      const forged = { ...(await signed(good, 'another-secret')) }
      const err = await rejection(call(forged, { grant, clientSecret: CLIENT_SECRET }))
      expect(err.errorCode).toBe('ERR_SIGNATURE')
    },
  )

  it('without the client secret nothing can be checked, and nothing is required', async () => {
    await expect(call(good, { grant: 'refresh_token' })).resolves.toBeDefined()
  })
})
