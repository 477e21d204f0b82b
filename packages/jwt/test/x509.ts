import { createPrivateKey, createPublicKey, sign } from 'node:crypto'

function der(tag: number, content: Buffer): Buffer {
  const bytes: number[] = []
  for (let n = content.length; n > 0; n >>= 8) bytes.unshift(n & 0xff)
  const length = content.length < 0x80 ? [content.length] : [0x80 | bytes.length, ...bytes]
  return Buffer.concat([Buffer.from([tag, ...length]), content])
}

const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts))
const utcTime = (date: Date) =>
  der(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`))

/** sha256WithRSAEncryption and commonName, pre-encoded. */
const SHA256_WITH_RSA = seq(
  Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]),
  Buffer.from([0x05, 0x00]),
)
const COMMON_NAME = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03])

/**
 * A self-signed X.509 v1 certificate for `privateKeyPem`: what `openssl req -x509` makes and
 * what gets uploaded to a connected app ("Use digital signatures").
 */
export function selfSignedCertificate(privateKeyPem: string): string {
  const privateKey = createPrivateKey(privateKeyPem)
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
  const name = seq(der(0x31, seq(COMMON_NAME, der(0x0c, Buffer.from('sfauth jwt test')))))
  const day = 86_400_000
  const tbs = seq(
    der(0x02, Buffer.from([0x01])),
    SHA256_WITH_RSA,
    name,
    seq(utcTime(new Date(Date.now() - day)), utcTime(new Date(Date.now() + day))),
    name,
    spki,
  )
  const signature = sign('sha256', tbs, privateKey)
  const cert = seq(tbs, SHA256_WITH_RSA, der(0x03, Buffer.concat([Buffer.from([0]), signature])))
  const base64 = cert.toString('base64').replace(/.{64}/g, '$&\n')
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`
}
