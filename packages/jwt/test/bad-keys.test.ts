import { createPrivateKey } from 'node:crypto'
import { inspect } from 'node:util'
import { rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import type { PrivateKeyInput } from '../src/index.js'
import { CLIENT_ID, connect, emulatorFor, GRANT, generateKeys, USERNAME } from './helpers.js'

const keys = await generateKeys()
const ec = await generateKeyPair('ES256', { extractable: true })
const ecPkcs8 = await exportPKCS8(ec.privateKey)
const ed25519 = await exportPKCS8(
  (await generateKeyPair('EdDSA', { extractable: true })).privateKey,
)
const rsaSha512 = (await crypto.subtle.generateKey(
  {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-512',
  },
  false,
  ['sign', 'verify'],
)) as CryptoKeyPair
const rsaPss = (await crypto.subtle.generateKey(
  {
    name: 'RSA-PSS',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
  false,
  ['sign', 'verify'],
)) as CryptoKeyPair
const node = createPrivateKey(keys.pkcs8)
const encryption = { cipher: 'aes-256-cbc', passphrase: 'correct horse battery staple' }
/** The middle of the key's base64 body: it must never show up in an error. */
const keyMaterial = keys.pkcs8.split('\n')[5] as string

const env = useMswEmulator(() => emulatorFor({ publicKey: keys.spki }))

const bad: [string, PrivateKeyInput, RegExp][] = [
  ['an empty string', '', /is an empty string/],
  ['whitespace only', ' \n\t', /is an empty string/],
  ['garbage', 'hunter2', /is not a PEM private key/],
  [
    'a PKCS#8 body without its PEM lines',
    keys.pkcs8.split('\n').slice(1, -2).join(''),
    /is not a PEM private key/,
  ],
  [
    'a damaged PEM body',
    keys.pkcs8.replace(keyMaterial, '!!!not base64!!!'),
    /is a damaged PEM "PRIVATE KEY" block/,
  ],
  [
    'a truncated PKCS#1 key',
    keys.pkcs1
      .split('\n')
      .filter((_, i) => i !== 3)
      .join('\n'),
    /damaged PEM "RSA PRIVATE KEY" block/,
  ],
  [
    'an encrypted PKCS#8 key (BEGIN ENCRYPTED PRIVATE KEY)',
    node.export({ type: 'pkcs8', format: 'pem', ...encryption }) as string,
    /is encrypted \(ENCRYPTED PRIVATE KEY\): decrypt it once with `openssl pkey/,
  ],
  [
    'an encrypted PKCS#1 key (Proc-Type: 4,ENCRYPTED)',
    node.export({ type: 'pkcs1', format: 'pem', ...encryption }) as string,
    /is encrypted \(RSA PRIVATE KEY with a passphrase\)/,
  ],
  ['a certificate', keys.certificate, /is a certificate \(BEGIN CERTIFICATE\).*connected app/],
  ['a public key', keys.spki, /is a public key \(BEGIN PUBLIC KEY\)/],
  ['an EC key in PKCS#8', ecPkcs8, /is not an RSA key but EC: .*RS256 only.*openssl genrsa/],
  [
    'an EC key in SEC1 (BEGIN EC PRIVATE KEY)',
    createPrivateKey(ecPkcs8).export({ type: 'sec1', format: 'pem' }) as string,
    /is not an RSA key but EC/,
  ],
  ['an Ed25519 key', ed25519, /is not an RSA key but Ed25519/],
  [
    'an OpenSSH key',
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
    /OpenSSH format/,
  ],
  ['an EC JWK', await exportJWK(ec.privateKey), /is not an RSA key but EC/],
  ['a public JWK', keys.publicJwk, /is a public JWK/],
  ['a JWK Set', { keys: [keys.jwk] } as JsonWebKey, /is a JWK Set/],
  ['an object that is no JWK', {} as JsonWebKey, /not a JWK/],
  ['broken JSON', '{"kty":"RSA",', /not valid JSON/],
  ['a public CryptoKey', rsaPss.publicKey, /is a public CryptoKey/],
  ['an EC CryptoKey', ec.privateKey, /is a CryptoKey for ECDSA/],
  [
    'an RSA CryptoKey hashing with SHA-512',
    rsaSha512.privateKey,
    /for RSASSA-PKCS1-v1_5 with SHA-512: RS256 needs/,
  ],
  ['an RSA-PSS CryptoKey', rsaPss.privateKey, /is a CryptoKey for RSA-PSS with SHA-256/],
]

describe('keys that cannot sign', () => {
  it.each(bad)(
    'rejects %s with ERR_INVALID_KEY before calling Salesforce',
    async (_, key, message) => {
      const { conn } = connect({ clientId: CLIENT_ID, username: USERNAME, privateKey: key })
      const err = await rejection(conn.authorize({ grant_type: GRANT }))
      expect(err.errorCode).toBe('ERR_INVALID_KEY')
      expect(err.message).toMatch(/^privateKey /)
      expect(err.message).toMatch(message)
      expect(inspect(err)).not.toContain(keyMaterial)
      expect(JSON.stringify(err)).not.toContain(keyMaterial)
      expect(env.emu.count('token')).toBe(0)
    },
  )

  it('rejects a value of the wrong type at once, with a TypeError', async () => {
    const { jwtBearer } = await import('../src/index.js')
    expect(() => jwtBearer({ privateKey: 42 as unknown as string })).toThrow(TypeError)
    expect(() => jwtBearer({ privateKey: null as unknown as string })).toThrow(
      /privateKey must be a PEM string \(PKCS#8 or PKCS#1\), a JWK object or a CryptoKey/,
    )
    expect(() => jwtBearer({ username: '' })).toThrow(/username must be a non-empty string/)
    expect(() => jwtBearer({ audience: 'login.salesforce.com' })).toThrow(
      /audience must be an absolute URL/,
    )
    expect(() => jwtBearer({ expiresIn: 0 })).toThrow(/expiresIn must be a positive whole number/)
  })
})
