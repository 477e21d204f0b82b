import { createHash } from 'node:crypto'
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '../src/index.js'
import { appCredentials, CALLBACK, LOGIN, token } from './helpers.js'

async function codeTokens(emu: ReturnType<typeof createEmulator>, scope: string, nonce?: string) {
  const code = emu.approve({
    clientId: DEFAULT_APP.clientId,
    username: DEFAULT_USER.username,
    redirectUri: CALLBACK,
    scope,
    ...(nonce ? { nonce } : {}),
  })
  const res = await token(emu, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: CALLBACK,
    ...appCredentials,
  })
  return (await res.json()) as Record<string, string>
}

async function jwks(emu: ReturnType<typeof createEmulator>) {
  const res = await emu.fetch(`${LOGIN}/id/keys`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  return (await res.json()) as JSONWebKeySet
}

describe('id_token', () => {
  it('comes with the openid scope, signed with a key published at /id/keys', async () => {
    const emu = createEmulator()
    const tokens = await codeTokens(emu, 'openid api refresh_token', 'n-123')
    expect(Object.keys(tokens).indexOf('id_token')).toBe(Object.keys(tokens).indexOf('scope') + 1)
    const keys = await jwks(emu)
    expect(keys.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' })
    expect(decodeProtectedHeader(tokens.id_token!)).toMatchObject({ alg: 'RS256', typ: 'JWT' })
    const { payload } = await jwtVerify(tokens.id_token!, createLocalJWKSet(keys), {
      issuer: LOGIN,
      audience: DEFAULT_APP.clientId,
    })
    expect(payload.sub).toBe(tokens.id)
    expect(payload.nonce).toBe('n-123')
    const digest = createHash('sha256').update(tokens.access_token!).digest()
    expect(payload.at_hash).toBe(digest.subarray(0, 16).toString('base64url'))
  })

  it('comes back on refresh', async () => {
    const emu = createEmulator()
    const first = await codeTokens(emu, 'openid refresh_token')
    const res = await token(emu, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
      ...appCredentials,
    })
    const body = (await res.json()) as Record<string, string>
    await jwtVerify(body.id_token!, createLocalJWKSet(await jwks(emu)))
  })

  it('is absent without openid', async () => {
    const tokens = await codeTokens(createEmulator(), 'api refresh_token')
    expect(tokens.id_token).toBeUndefined()
  })

  it('is advertised by discovery', async () => {
    const res = await createEmulator().fetch(`${LOGIN}/.well-known/openid-configuration`)
    expect(await res.json()).toMatchObject({
      issuer: LOGIN,
      jwks_uri: `${LOGIN}/id/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
    })
  })
})
