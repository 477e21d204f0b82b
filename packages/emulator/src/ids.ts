const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'

/** Random alphanumeric string; rejection sampling keeps every character equally likely. */
export function randomString(length: number): string {
  let out = ''
  const limit = 256 - (256 % ALPHANUMERIC.length)
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length))) {
      if (byte < limit && out.length < length) out += ALPHANUMERIC[byte % ALPHANUMERIC.length]
    }
  }
  return out
}

/**
 * Appends the 3-character case-safe suffix that turns a 15-character id into the 18-character form.
 *
 * @see https://help.salesforce.com/s/articleView?id=000385008
 */
export function toEighteen(id15: string): string {
  let suffix = ''
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(chunk * 5 + i)
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i
    }
    suffix += CHECKSUM_ALPHABET[bits]
  }
  return id15 + suffix
}

/** A fresh 18-character record id with the given 3-character key prefix (`005`, `00D`, …). */
export function newRecordId(keyPrefix: string): string {
  return toEighteen(`${keyPrefix}${randomString(12)}`)
}

/** Compares two ids the way Salesforce does: the 15-character prefix is what identifies a record. */
export function sameId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15)
}
