import { generateKeyPairSync } from 'node:crypto'
import { inspect } from 'node:util'
import { rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it } from 'vitest'
import type { PrivateKeyInput } from '../src/index.js'
import { CLIENT_ID, connect, emulatorFor, GRANT, generateKeys, USERNAME } from './helpers.js'

const keys = await generateKeys()
const env = useMswEmulator(() => emulatorFor({ publicKey: keys.spki }))

// A 1024-bit key: jose's signer throws a plain TypeError for it, which must reach the caller as an
// SfAuthError that says how to make a usable key.
const short = generateKeyPairSync('rsa', { modulusLength: 1024 })
const pkcs8 = short.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
const pkcs1 = short.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string
const jwk = short.privateKey.export({ format: 'jwk' }) as JsonWebKey
const cryptoKey = await crypto.subtle.importKey(
  'jwk',
  jwk,
  { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  false,
  ['sign'],
)
const material = pkcs8.split('\n')[3] as string

describe('a 1024-bit RSA key (Salesforce needs 2048 bits)', () => {
  it.each<[string, PrivateKeyInput]>([
    ['PKCS#8 PEM', pkcs8],
    ['PKCS#1 PEM', pkcs1],
    ['a JWK', jwk],
    ['a JWK as JSON text', JSON.stringify(jwk)],
    ['a CryptoKey', cryptoKey],
  ])('as %s rejects with SfAuthError ERR_INVALID_KEY, not a TypeError', async (_, privateKey) => {
    const { conn } = connect({ clientId: CLIENT_ID, username: USERNAME, privateKey })
    const err = await rejection(conn.authorize({ grant_type: GRANT }))
    expect(err.errorCode).toBe('ERR_INVALID_KEY')
    expect(err.message).toMatch(/^privateKey is a 1024-bit RSA key: RS256 needs 2048 bits or more/)
    expect(inspect(err, { depth: 10 })).not.toContain(material)
    expect(inspect(err, { depth: 10 })).not.toContain(jwk.d as string)
    expect(env.emu.count('token')).toBe(0)
  })
})
