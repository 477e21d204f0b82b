/** One PEM block: its label (`PRIVATE KEY`, `RSA PRIVATE KEY`, ...), headers and DER bytes. */
export interface PemBlock {
  label: string
  /** RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED`, which only encrypted PKCS#1 keys carry. */
  headers: string
  /** `undefined` when the body is not valid base64. */
  der: Uint8Array | undefined
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * Every PEM block in `text`, in order. Text around the blocks (openssl's "Bag Attributes", a
 * certificate bundled in the same file) is ignored, as openssl does.
 */
export function readPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = []
  for (const match of text.matchAll(BLOCK)) {
    const [, label = '', inner = ''] = match
    const lines = inner.split(/\r?\n/)
    const headers = lines.filter((line) => line.includes(':')).join('\n')
    const body = lines
      .filter((line) => !line.includes(':'))
      .join('')
      .replace(/\s+/g, '')
    blocks.push({ label, headers, der: decodeBase64(body) })
  }
  return blocks
}

function decodeBase64(body: string): Uint8Array | undefined {
  if (body === '' || body.length % 4 !== 0 || !BASE64.test(body)) return undefined
  const binary = atob(body)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** DER bytes as a PEM block with 64-character lines. */
export function writePem(label: string, der: Uint8Array): string {
  let binary = ''
  for (const byte of der) binary += String.fromCharCode(byte)
  const lines = btoa(binary).match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}
