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

/**
 * Escapes text for XML element content so that it reaches the receiver unchanged. Whitespace at
 * either end is written as character references too: receivers that trim element text (this
 * package's own parser does) keep references, so a password with a leading space survives.
 */
export function escapeXml(value: string): string {
  return value
    .replace(/[&<>"'\r]/g, (ch) => ESCAPES[ch] ?? ch)
    .replace(/^\s+|\s+$/g, (run) => charRefs(run))
}

function charRefs(run: string): string {
  let out = ''
  for (const ch of run) out += `&#x${(ch.codePointAt(0) as number).toString(16).toUpperCase()};`
  return out
}

/**
 * Rewrites every CDATA section as escaped text, so that text and CDATA come back in document
 * order as one string (the parser keeps them apart and would put all the CDATA last). Comments
 * and processing instructions are matched first so a `<![CDATA[` inside one is left alone.
 * Whitespace inside a section becomes character references: it is content, and the parser's
 * trimming must not take it.
 */
export function inlineCdata(xml: string): string {
  if (!xml.includes('<![CDATA[')) return xml
  return xml.replace(
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>/g,
    (match, cdata: string | undefined) =>
      cdata === undefined
        ? match
        : cdata.replace(/[&<>"'\s]/g, (ch) => ESCAPES[ch] ?? charRefs(ch)),
  )
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
