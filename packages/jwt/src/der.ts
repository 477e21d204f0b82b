/**
 * The little DER (X.690) this package needs: wrapping a PKCS#1 RSA key in a PKCS#8
 * PrivateKeyInfo, and reading which algorithm a PKCS#8 key is for. Written here rather than
 * taken from Node's crypto so that it runs in browsers and workers too.
 */

const SEQUENCE = 0x30
const INTEGER = 0x02
const OCTET_STRING = 0x04
const OBJECT_IDENTIFIER = 0x06

/** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL } (RFC 8017 A.1). */
const RSA_ALGORITHM_IDENTIFIER = [
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
]
/** PrivateKeyInfo version 0 (RFC 5208 section 5). */
const VERSION_0 = [INTEGER, 0x01, 0x00]

/** Key algorithm OIDs (hex of the OID's content bytes) with names users recognise. */
const KEY_ALGORITHMS: Record<string, string> = {
  '2a864886f70d010101': 'RSA',
  '2a864886f70d01010a': 'RSA-PSS',
  '2a8648ce3d0201': 'EC',
  '2a8648ce380401': 'DSA',
  '2b6570': 'Ed25519',
  '2b6571': 'Ed448',
  '2b656e': 'X25519',
  '2b656f': 'X448',
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length]
  const bytes: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
  return [0x80 | bytes.length, ...bytes]
}

function tlv(tag: number, content: ArrayLike<number>): Uint8Array {
  const length = encodeLength(content.length)
  const out = new Uint8Array(1 + length.length + content.length)
  out[0] = tag
  out.set(length, 1)
  out.set(content as ArrayLike<number>, 1 + length.length)
  return out
}

/** A DER element: its tag and where its content starts and ends in the input. */
interface Element {
  tag: number
  start: number
  end: number
}

function readElement(der: Uint8Array, at: number): Element | undefined {
  const tag = der[at]
  let first = der[at + 1]
  if (tag === undefined || first === undefined) return undefined
  let start = at + 2
  let length = first
  if (first & 0x80) {
    const count = first & 0x7f
    if (count === 0 || count > 4) return undefined
    length = 0
    for (let i = 0; i < count; i++) {
      first = der[start + i]
      if (first === undefined) return undefined
      length = length * 256 + first
    }
    start += count
  }
  const end = start + length
  return end <= der.length ? { tag, start, end } : undefined
}

/** True when `der` is exactly one SEQUENCE, as every key structure is. */
export function isSequence(der: Uint8Array): boolean {
  const outer = readElement(der, 0)
  return outer?.tag === SEQUENCE && outer.end === der.length
}

/**
 * Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo, the only private key format
 * Web Crypto (and so jose) imports from DER.
 * @see https://www.rfc-editor.org/rfc/rfc5208#section-5
 */
export function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array {
  const octets = tlv(OCTET_STRING, pkcs1)
  const content = new Uint8Array(VERSION_0.length + RSA_ALGORITHM_IDENTIFIER.length + octets.length)
  content.set(VERSION_0, 0)
  content.set(RSA_ALGORITHM_IDENTIFIER, VERSION_0.length)
  content.set(octets, VERSION_0.length + RSA_ALGORITHM_IDENTIFIER.length)
  return tlv(SEQUENCE, content)
}

/**
 * The key algorithm of a PKCS#8 PrivateKeyInfo (`'RSA'`, `'EC'`, `'Ed25519'`, ...): the name of
 * a known OID, the dotted-hex OID of an unknown one, `undefined` when `der` is not PKCS#8.
 */
export function pkcs8Algorithm(der: Uint8Array): string | undefined {
  const info = readElement(der, 0)
  if (info?.tag !== SEQUENCE || info.end !== der.length) return undefined
  const version = readElement(der, info.start)
  if (version?.tag !== INTEGER) return undefined
  const algorithm = readElement(der, version.end)
  if (algorithm?.tag !== SEQUENCE) return undefined
  const oid = readElement(der, algorithm.start)
  if (oid?.tag !== OBJECT_IDENTIFIER) return undefined
  let hex = ''
  for (const byte of der.subarray(oid.start, oid.end)) hex += byte.toString(16).padStart(2, '0')
  return KEY_ALGORITHMS[hex] ?? `OID ${hex}`
}
