import { type HttpResponse, SfAuthError } from '@sfauth/core/flow'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseLoginResult } from '../src/login-result.js'
import { readSoapBody, textOf } from '../src/soap-response.js'
import { decodeXmlText, escapeXml, inlineCdata, isXmlText } from '../src/xml-text.js'

const ENVELOPE = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`

function response(text: string, status = 200): HttpResponse {
  return {
    status,
    headers: new Headers({ 'Content-Type': 'text/xml' }),
    text,
  } as unknown as HttpResponse
}

const CALL = { what: 'SOAP test', secrets: [] }

/** Any text XML 1.0 can carry: every Unicode scalar value except the forbidden controls. */
const xmlText = fc.string({ unit: 'binary', maxLength: 200 }).filter(isXmlText)

/** Text as it may appear in element content, split into plain and CDATA runs. */
const mixedContent = fc.array(
  fc.oneof(
    xmlText.map((text) => ({ cdata: false, text })),
    xmlText.filter((text) => !text.includes(']]>')).map((text) => ({ cdata: true, text })),
  ),
  { maxLength: 6 },
)

function readLeaf(inner: string): string | null | undefined {
  return textOf(readSoapBody(response(ENVELOPE(`<value>${inner}</value>`)), CALL), 'value')
}

describe('XML escaper and SOAP reader, properties', () => {
  it('escapeXml round-trips any XML text through readSoapBody', () => {
    fc.assert(
      fc.property(xmlText, (text) => {
        expect(readLeaf(escapeXml(text))).toBe(text)
      }),
      { numRuns: 500 },
    )
  })

  it('escapeXml output has no markup character left', () => {
    fc.assert(
      fc.property(xmlText, (text) => {
        expect(escapeXml(text)).not.toMatch(/[<>"'\r]|&(?!(?:amp|lt|gt|quot|apos|#x[0-9A-F]+);)/)
      }),
    )
  })

  it('text mixed with CDATA comes back whole and in document order', () => {
    fc.assert(
      fc.property(mixedContent, (runs) => {
        const inner = runs
          .map(({ cdata, text }) => (cdata ? `<![CDATA[${text}]]>` : escapeXml(text)))
          .join('')
        // escapeXml writes a run's edge whitespace as references, and CDATA whitespace is
        // content, so the reader's trimming of literal edge whitespace takes nothing here.
        expect(readLeaf(inner)).toBe(runs.map((run) => run.text).join(''))
      }),
      { numRuns: 500 },
    )
  })

  it('inlineCdata leaves comments and processing instructions alone', () => {
    fc.assert(
      fc.property(xmlText, (text) => {
        const safe = text.replace(/--|\?>/g, '')
        const doc = `<a><!-- <![CDATA[${safe}]]> --><?pi <![CDATA[x]]> ?></a>`
        expect(inlineCdata(doc)).toBe(doc)
      }),
    )
  })

  it('decodeXmlText decodes in one pass: nothing it outputs was produced by decoding twice', () => {
    fc.assert(
      fc.property(xmlText, (text) => {
        expect(decodeXmlText(escapeXml(escapeXml(text)))).toBe(escapeXml(text))
      }),
    )
  })

  it('readSoapBody on any string returns an element or throws SfAuthError, never anything else', () => {
    const fragments = fc.constantFrom(
      '<',
      '>',
      '<!DOCTYPE x>',
      '<![CDATA[',
      ']]>',
      '<!--',
      '-->',
      '&amp;',
      '&#0;',
      '&#x110000;',
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">',
      '</soapenv:Envelope>',
      '<soapenv:Body>',
      '</soapenv:Body>',
      '<soapenv:Fault>',
      '</soapenv:Fault>',
      '<faultcode>sf:X</faultcode>',
      '<faultstring>',
      '</faultstring>',
      '<__proto__>',
      '</__proto__>',
      '<constructor>x</constructor>',
      '<html>',
    )
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fragments, fc.string()), { maxLength: 20 }),
        fc.constantFrom(200, 401, 500),
        (parts, status) => {
          try {
            const body = readSoapBody(response(parts.join(''), status), CALL)
            expect(typeof body).toBe('object')
          } catch (err) {
            expect(err).toBeInstanceOf(SfAuthError)
          }
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('parseLoginResult keeps exactly the sessionId and serverUrl sent, or throws SfAuthError', () => {
    fc.assert(
      fc.property(
        xmlText,
        fc.oneof(
          fc.webUrl({ validSchemes: ['https'] }),
          fc.string(),
          fc.constant('http://127.0.0.1:1/x'),
        ),
        (sessionId, serverUrl) => {
          const xml = ENVELOPE(
            `<loginResponse><result><serverUrl>${escapeXml(serverUrl)}</serverUrl><sessionId>${escapeXml(sessionId)}</sessionId><userId>005</userId><userInfo><organizationId>00D</organizationId></userInfo></result></loginResponse>`,
          )
          try {
            const result = parseLoginResult(readSoapBody(response(xml), CALL))
            expect(result.sessionId).toBe(sessionId)
            expect(result.serverUrl).toBe(serverUrl)
            expect(new URL(result.serverUrl).protocol).toMatch(/^https?:$/)
          } catch (err) {
            expect(err).toBeInstanceOf(SfAuthError)
          }
        },
      ),
      { numRuns: 500 },
    )
  })
})
