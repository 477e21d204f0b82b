import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isSequence, pkcs1ToPkcs8, pkcs8Algorithm } from '../src/der.js'

describe('PKCS#1 to PKCS#8', () => {
  it.each([1024, 2048])(
    'wraps a %i-bit key exactly as OpenSSL encodes its PKCS#8 form',
    (modulusLength) => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength })
      const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'der' })
      const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' })
      const wrapped = pkcs1ToPkcs8(new Uint8Array(pkcs1))
      expect(Buffer.from(wrapped).equals(pkcs8)).toBe(true)
      expect(pkcs8Algorithm(wrapped)).toBe('RSA')
    },
  )

  it('encodes short and long DER lengths', () => {
    // A SEQUENCE of n bytes inside the wrapper: its OCTET STRING length goes from short to long form.
    for (const [size, lengthBytes] of [
      [0x7f, [0x7f]],
      [0x80, [0x81, 0x80]],
      [0xff, [0x81, 0xff]],
      [0x100, [0x82, 0x01, 0x00]],
      [0x10000, [0x83, 0x01, 0x00, 0x00]],
    ] as const) {
      const inner = new Uint8Array(size)
      const wrapped = pkcs1ToPkcs8(inner)
      const octetString = wrapped.indexOf(0x04, 2 + 3 + 15)
      expect([...wrapped.subarray(octetString + 1, octetString + 1 + lengthBytes.length)]).toEqual(
        lengthBytes,
      )
      expect(isSequence(wrapped)).toBe(true)
    }
  })
})

describe('reading a PKCS#8 key algorithm', () => {
  it('names EC, Ed25519 and RSA-PSS keys, and refuses what is not PKCS#8', () => {
    const der = (type: 'ec' | 'ed25519' | 'rsa-pss') => {
      const pair =
        type === 'ec'
          ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
          : type === 'ed25519'
            ? generateKeyPairSync('ed25519')
            : generateKeyPairSync('rsa-pss', { modulusLength: 1024 })
      return new Uint8Array(pair.privateKey.export({ type: 'pkcs8', format: 'der' }))
    }
    expect(pkcs8Algorithm(der('ec'))).toBe('EC')
    expect(pkcs8Algorithm(der('ed25519'))).toBe('Ed25519')
    expect(pkcs8Algorithm(der('rsa-pss'))).toBe('RSA-PSS')
    expect(pkcs8Algorithm(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]))).toBeUndefined()
    expect(pkcs8Algorithm(new Uint8Array([0x30, 0x7f]))).toBeUndefined()
    expect(isSequence(new Uint8Array([0x30, 0x05, 0x00]))).toBe(false)
  })
})
