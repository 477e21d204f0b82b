/**
 * Characters XML 1.0 can carry at all (https://www.w3.org/TR/xml/#charsets). Anything else
 * (most C0 controls, lone surrogates, U+FFFE/U+FFFF) cannot be sent even as a character
 * reference, so Salesforce could never receive it.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A literal CR would be turned into LF by the receiving parser's line-end normalisation.
  '\r': '&#xD;',
}

/** True when every character of `value` can be written in an XML 1.0 document. */
export function isXmlText(value: string): boolean {
  return !NOT_XML_CHAR.test(value)
}

/** Escapes text for XML element content so that it reaches the receiver unchanged. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"'\r]/g, (ch) => ESCAPES[ch] ?? ch)
}

const PREDEFINED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
}

/**
 * Decodes XML's five predefined entities and numeric character references, in one pass.
 * The parser runs with entity processing off, so this is the only decoding there is: one pass
 * over the text cannot expand anything recursively, and names a DOCTYPE might declare are left
 * as they are.
 */
export function decodeXmlText(value: string): string {
  if (!value.includes('&')) return value
  return value.replace(
    /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-z]{2,4}));/g,
    (ref, hex, dec, name) => {
      if (name !== undefined) return PREDEFINED[name] ?? ref
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec)
      if (code > 0x10ffff) return ref
      const ch = String.fromCodePoint(code)
      return isXmlText(ch) ? ch : ref
    },
  )
}
