import { createPrivateKey, createPublicKey, sign } from 'node:crypto'

/** Minimal DER encoder: enough to build one self-signed certificate for the tests. */
function der(tag: number, content: Buffer): Buffer {
  const length = content.length
  let header: Buffer
  if (length < 0x80) header = Buffer.from([tag, length])
  else {
    const bytes: number[] = []
    for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff)
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes])
  }
  return Buffer.concat([header, content])
}

const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts))
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts))

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number)
  const bytes = [a * 40 + b]
  for (const value of rest) {
    const chunk: number[] = []
    let v = value
    do {
      chunk.unshift((v & 0x7f) | (chunk.length ? 0x80 : 0))
      v >>= 7
    } while (v > 0)
    bytes.push(...chunk)
  }
  return der(0x06, Buffer.from(bytes))
}

const utcTime = (date: Date) =>
  der(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`))

/** A self-signed X.509 v1 certificate (PEM) for an RSA key pair, as a connected app would hold. */
export function selfSignedCertificate(privateKeyPem: string): string {
  const privateKey = createPrivateKey(privateKeyPem)
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
  const algorithm = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]))
  const name = seq(set(seq(oid('2.5.4.3'), der(0x0c, Buffer.from('sfauth test')))))
  const tbs = seq(
    der(0x02, Buffer.from([0x01])),
    algorithm,
    name,
    seq(utcTime(new Date(Date.now() - 86_400_000)), utcTime(new Date(Date.now() + 86_400_000))),
    name,
    spki,
  )
  const signature = sign('sha256', tbs, privateKey)
  const cert = seq(tbs, algorithm, der(0x03, Buffer.concat([Buffer.from([0]), signature])))
  const base64 = cert.toString('base64').replace(/.{64}/g, '$&\n')
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`
}
