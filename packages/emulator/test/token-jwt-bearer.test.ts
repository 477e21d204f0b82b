import { X509Certificate } from 'node:crypto'
import { selfSignedCertificate } from '@sfauth/test-kit/x509'
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '../src/index.js'
import { expectOAuthError, hmacSignature, LOGIN, token } from './helpers.js'

const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
const NOW = 1_750_000_000_000
const nowSeconds = NOW / 1000

let privateKey: CryptoKey
let otherKey: CryptoKey
let spki: string
let jwk: JsonWebKey
let certificate: string

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  privateKey = pair.privateKey
  spki = await exportSPKI(pair.publicKey)
  jwk = await exportJWK(pair.publicKey)
  certificate = selfSignedCertificate(await exportPKCS8(pair.privateKey))
  otherKey = (await generateKeyPair('RS256')).privateKey
})

function emulator(extra: Partial<typeof DEFAULT_APP> = {}, strictJwtLifetime = false) {
  return createEmulator({
    now: () => NOW,
    strictJwtLifetime,
    apps: [{ ...DEFAULT_APP, publicKey: spki, ...extra }],
  })
}

function assertion(claims: Record<string, unknown>, key = privateKey): Promise<string> {
  return new SignJWT({
    iss: DEFAULT_APP.clientId,
    sub: DEFAULT_USER.username,
    aud: LOGIN,
    exp: nowSeconds + 120,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256' })
    .sign(key)
}

const bearer = async (
  emu: ReturnType<typeof createEmulator>,
  claims: Record<string, unknown> = {},
  origin = LOGIN,
  key = privateKey,
) => token(emu, { grant_type: GRANT, assertion: await assertion(claims, key) }, origin)

describe('JWT bearer grant', () => {
  it('issues an access token (no refresh token) for an assertion signed with the SPKI key', async () => {
    const res = await bearer(emulator())
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, string>
    expect(body.refresh_token).toBeUndefined()
    expect(body.token_type).toBe('Bearer')
    expect(body.instance_url).toBe('https://acme.my.salesforce.com')
    expect(body.id).toBe(`${LOGIN}/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`)
    expect(body.signature).toBe(
      await hmacSignature(DEFAULT_APP.clientSecret!, body.id! + body.issued_at),
    )
  })

  it('verifies with a JWK public key', async () => {
    const res = await bearer(emulator({ publicKey: jwk }))
    expect(res.status).toBe(200)
  })

  it('verifies with a self-signed X.509 certificate', async () => {
    expect(new X509Certificate(certificate).subject).toContain('CN=sfauth test')
    const emu = createEmulator({
      now: () => NOW,
      apps: [{ ...DEFAULT_APP, certificate }],
    })
    expect((await bearer(emu)).status).toBe(200)
    await expectOAuthError(
      await bearer(emu, {}, LOGIN, otherKey),
      'invalid_grant',
      'invalid assertion',
    )
  })

  it('accepts exp as a numeric string, as in the Salesforce example', async () => {
    expect((await bearer(emulator(), { exp: String(nowSeconds + 120) })).status).toBe(200)
  })

  it('accepts a far-future exp unless strict mode caps it at 180 s', async () => {
    expect((await bearer(emulator(), { exp: nowSeconds + 3600 })).status).toBe(200)
    await expectOAuthError(
      await bearer(emulator({}, true), { exp: nowSeconds + 3600 }),
      'invalid_grant',
      'invalid assertion',
    )
    expect((await bearer(emulator({}, true), { exp: nowSeconds + 170 })).status).toBe(200)
  })

  it('rejects a past exp as an expired authorization code, with a little skew', async () => {
    await expectOAuthError(
      await bearer(emulator(), { exp: nowSeconds - 300 }),
      'invalid_grant',
      'expired authorization code',
    )
    expect((await bearer(emulator(), { exp: nowSeconds - 5 })).status).toBe(200)
  })

  it('needs exp', async () => {
    await expectOAuthError(
      await bearer(emulator(), { exp: undefined }),
      'invalid_grant',
      'invalid assertion',
    )
  })

  it('rejects a bad signature and a malformed assertion', async () => {
    const emu = emulator()
    await expectOAuthError(
      await bearer(emu, {}, LOGIN, otherKey),
      'invalid_grant',
      'invalid assertion',
    )
    await expectOAuthError(
      await token(emu, { grant_type: GRANT, assertion: 'not-a-jwt' }),
      'invalid_grant',
      'invalid assertion',
    )
  })

  it('rejects an app without a key', async () => {
    const emu = createEmulator({ now: () => NOW })
    await expectOAuthError(await bearer(emu), 'invalid_grant', 'invalid assertion')
  })

  it('rejects an unknown issuer', async () => {
    await expectOAuthError(
      await bearer(emulator(), { iss: 'unknown-client' }),
      'invalid_client_id',
      'client identifier invalid',
    )
  })

  it('accepts the login hosts and an Experience Cloud site URL as audience', async () => {
    const emu = emulator()
    const site = 'https://acme.my.site.com'
    expect((await bearer(emu, { aud: 'https://test.salesforce.com' })).status).toBe(200)
    expect((await bearer(emu, { aud: `${site}/partners` }, `${site}/partners`)).status).toBe(200)
    // Sent to a My Domain, the assertion still names the login host (as sfdx-core does).
    expect(
      (await bearer(emu, { aud: 'https://login.salesforce.com' }, 'https://acme.my.salesforce.com'))
        .status,
    ).toBe(200)
  })

  it('rejects a My Domain URL as audience, even on that My Domain (the docs list login, test, site)', async () => {
    await expectOAuthError(
      await bearer(
        emulator(),
        { aud: 'https://acme.my.salesforce.com' },
        'https://acme.my.salesforce.com',
      ),
      'invalid_grant',
      'audience is invalid',
    )
  })

  it('accepts the loopback server’s own URL, which stands for a login host', async () => {
    const server = 'http://127.0.0.1:8123'
    expect((await bearer(emulator(), { aud: server }, server)).status).toBe(200)
    await expectOAuthError(
      await bearer(emulator(), { aud: 'http://127.0.0.1:9999' }, server),
      'invalid_grant',
      'audience is invalid',
    )
  })

  it('rejects any other audience', async () => {
    await expectOAuthError(
      await bearer(emulator(), { aud: 'https://acme.my.salesforce.com' }),
      'invalid_grant',
      'audience is invalid',
    )
    await expectOAuthError(
      await bearer(
        emulator(),
        { aud: 'https://evil.example.com' },
        'https://acme.my.salesforce.com',
      ),
      'invalid_grant',
      'audience is invalid',
    )
  })

  it('rejects users who are unknown or not pre-approved', async () => {
    await expectOAuthError(
      await bearer(emulator(), { sub: 'nobody@example.com' }),
      'invalid_grant',
      "user hasn't approved this consumer",
    )
    const emu = emulator({ preApprovedUsers: ['someone-else@example.com'] })
    await expectOAuthError(await bearer(emu), 'invalid_grant', "user hasn't approved this consumer")
    const approved = emulator({ preApprovedUsers: [DEFAULT_USER.username.toUpperCase()] })
    expect((await bearer(approved)).status).toBe(200)
  })
})
