import type { SfAuthError } from '@sfauth/core/flow'
import { importJWK, importPKCS8 } from 'jose'
import { isSequence, pkcs1ToPkcs8, pkcs8Algorithm } from './der.js'
import { invalidKey } from './key-error.js'
import { type PemBlock, readPemBlocks, writePem } from './pem.js'

/**
 * A private key as users have one: PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), PKCS#1 PEM
 * (`-----BEGIN RSA PRIVATE KEY-----`, what `openssl genrsa` wrote before OpenSSL 3), a private
 * RSA JWK (as an object or its JSON text), or a Web Crypto `CryptoKey` (RSASSA-PKCS1-v1_5,
 * SHA-256, `sign`).
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.sfdx_dev.meta/sfdx_dev/sfdx_dev_auth_key_and_cert.htm
 * @example
 * ```ts
 * const privateKey: PrivateKeyInput = await readFile('server.key', 'utf8')
 * jwtBearer({ clientId, username, privateKey })
 * ```
 */
export type PrivateKeyInput = string | JsonWebKey | CryptoKey

const ALG = 'RS256'
const RSASSA = 'RSASSA-PKCS1-v1_5'
const GENRSA = '`openssl genrsa -out server.key 2048`'

function notRsa(kind: string): SfAuthError {
  return invalidKey(
    `is not an RSA key but ${kind}: Salesforce verifies JWT bearer assertions with RS256 only, so the key (and the certificate on the connected app) must be RSA; create one with ${GENRSA}`,
  )
}

/** True for a Web Crypto key from any realm (what jose itself checks). */
function isCryptoKey(value: unknown): value is CryptoKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'CryptoKey'
  )
}

/**
 * Turns any {@link PrivateKeyInput} into a non-extractable RS256 signing key.
 * @throws {SfAuthError} `ERR_INVALID_KEY` for an empty string, an encrypted key, a certificate or
 *   public key, a non-RSA key, an RSA key shorter than 2048 bits, or anything that is not a key.
 */
export async function importPrivateKey(input: PrivateKeyInput): Promise<CryptoKey> {
  if (typeof input === 'string') return checkKeySize(await fromText(input))
  if (isCryptoKey(input)) return checkKeySize(checkCryptoKey(input))
  return checkKeySize(await fromJwk(input))
}

/** RFC 7518 section 3.3: RS256 keys are 2048 bits or larger (jose refuses shorter ones). */
const MIN_MODULUS_BITS = 2048

/**
 * Refuses a short RSA key here, where the error can say what to do, rather than letting the
 * signer throw its own `TypeError` on every login.
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.3
 */
function checkKeySize(key: CryptoKey): CryptoKey {
  const { modulusLength } = key.algorithm as KeyAlgorithm & { modulusLength?: unknown }
  if (typeof modulusLength === 'number' && modulusLength < MIN_MODULUS_BITS) {
    throw invalidKey(
      `is a ${modulusLength}-bit RSA key: RS256 needs ${MIN_MODULUS_BITS} bits or more (RFC 7518, section 3.3); create a new key with ${GENRSA} and upload its certificate to the connected app`,
    )
  }
  return key
}

async function fromText(value: string): Promise<CryptoKey> {
  // Keys kept in environment variables and JSON configs often arrive with escaped newlines.
  const text = value.replace(/\\r\\n|\\n/g, '\n').trim()
  if (text === '') {
    throw invalidKey(
      'is an empty string: the key file or environment variable it was read from is empty or missing',
    )
  }
  if (text.startsWith('{')) {
    let jwk: unknown
    try {
      jwk = JSON.parse(text)
    } catch {
      throw invalidKey(
        'starts with "{" but is not valid JSON, so it is neither a PEM key nor a JWK',
      )
    }
    return fromJwk(jwk as JsonWebKey)
  }
  const blocks = readPemBlocks(text)
  const block = blocks.find((b) => b.label.endsWith('PRIVATE KEY')) ?? blocks[0]
  if (!block) {
    throw invalidKey(
      'is not a PEM private key: expected text between -----BEGIN PRIVATE KEY----- (PKCS#8) or -----BEGIN RSA PRIVATE KEY----- (PKCS#1) and the matching END line',
    )
  }
  return fromPem(block)
}

async function fromPem({ label, headers, der }: PemBlock): Promise<CryptoKey> {
  const encrypted = label === 'ENCRYPTED PRIVATE KEY' || /ENCRYPTED/i.test(headers)
  if (encrypted) {
    throw invalidKey(
      `is encrypted (${label}${label === 'ENCRYPTED PRIVATE KEY' ? '' : ' with a passphrase'}): decrypt it once with \`openssl pkey -in server.key -out server-decrypted.key\` and pass the result (keep it secret)`,
    )
  }
  if (label.includes('CERTIFICATE') && !label.includes('REQUEST')) {
    throw invalidKey(
      `is a certificate (BEGIN ${label}): the certificate is the public half you upload to the connected app; pass the private key it was made from (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)`,
    )
  }
  if (label.endsWith('PUBLIC KEY')) {
    throw invalidKey(
      `is a public key (BEGIN ${label}): signing needs the private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)`,
    )
  }
  if (label === 'EC PRIVATE KEY') throw notRsa('EC')
  if (label === 'DSA PRIVATE KEY') throw notRsa('DSA')
  if (label === 'OPENSSH PRIVATE KEY') {
    throw invalidKey(
      `is in OpenSSH format: Salesforce needs an RSA key in PEM, e.g. from ${GENRSA} (an OpenSSH RSA key converts with \`ssh-keygen -p -m PKCS8 -f key\`)`,
    )
  }
  if (label !== 'PRIVATE KEY' && label !== 'RSA PRIVATE KEY') {
    throw invalidKey(`is a PEM "${label}" block, not a private key`)
  }
  if (!der || !isSequence(der)) {
    throw invalidKey(`is a damaged PEM "${label}" block: its body is not base64-encoded DER`)
  }
  let pkcs8 = der
  if (label === 'RSA PRIVATE KEY') {
    pkcs8 = pkcs1ToPkcs8(der)
  } else {
    const algorithm = pkcs8Algorithm(der)
    if (algorithm === undefined)
      throw invalidKey('is a damaged PEM "PRIVATE KEY" block: not PKCS#8')
    if (algorithm !== 'RSA') throw notRsa(algorithm)
  }
  try {
    return await importPKCS8(writePem('PRIVATE KEY', pkcs8), ALG)
  } catch (cause) {
    throw invalidKey(`could not be imported as an RSA private key (${label} block)`, cause)
  }
}

async function fromJwk(jwk: JsonWebKey & { keys?: unknown }): Promise<CryptoKey> {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw invalidKey('is JSON but not a JWK object')
  }
  if (Array.isArray(jwk.keys)) {
    throw invalidKey('is a JWK Set ({ keys: [...] }): pass the one private key to sign with')
  }
  if (typeof jwk.kty !== 'string') throw invalidKey('is an object without "kty": not a JWK')
  if (jwk.kty !== 'RSA') throw notRsa(jwk.kty === 'OKP' && jwk.crv ? jwk.crv : jwk.kty)
  if (typeof jwk.d !== 'string') {
    throw invalidKey('is a public JWK (it has no "d"): signing needs the private key')
  }
  // The key material is what signs; an `alg`, `use` or `key_ops` written for another purpose
  // must not stop it from signing RS256.
  const {
    alg: _alg,
    use: _use,
    key_ops: _ops,
    ext: _ext,
    ...material
  } = jwk as JsonWebKey & {
    use?: string
  }
  try {
    return (await importJWK(material, ALG, { extractable: false })) as CryptoKey
  } catch (cause) {
    throw invalidKey('could not be imported as an RSA private JWK', cause)
  }
}

function checkCryptoKey(key: CryptoKey): CryptoKey {
  const algorithm = key.algorithm as KeyAlgorithm & { hash?: { name?: string } }
  if (key.type !== 'private') {
    throw invalidKey(`is a ${key.type} CryptoKey: signing needs the private key`)
  }
  if (algorithm.name !== RSASSA || algorithm.hash?.name !== 'SHA-256') {
    const hash = algorithm.hash?.name ? ` with ${algorithm.hash.name}` : ''
    throw invalidKey(
      `is a CryptoKey for ${algorithm.name}${hash}: RS256 needs { name: '${RSASSA}', hash: 'SHA-256' }`,
    )
  }
  if (!key.usages.includes('sign')) {
    throw invalidKey('is a CryptoKey without the "sign" usage')
  }
  return key
}
