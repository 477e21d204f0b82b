import {
  errorFromResponse,
  type HttpResponse,
  SfAuthError,
  scrub,
  serverError,
} from '@sfauth/core/flow'
import type { X2jOptions } from 'fast-xml-parser'
// The two parts soap-login uses, without the XMLBuilder the package entry also loads
// (./fast-xml-parser-parts.d.ts).
import XMLValidator from 'fast-xml-parser/src/validator.js'
import XMLParser from 'fast-xml-parser/src/xmlparser/XMLParser.js'
import { decodeXmlText, inlineCdata } from './xml-text.js'

/** One parsed XML element: its children by local name, `@attr` attributes and `#text`. */
export type XmlElement = Record<string, unknown>

/**
 * Entity processing is off, so neither a DOCTYPE's internal entities nor external ones are ever
 * resolved; {@link decodeXmlText} decodes only XML's predefined and numeric references, in one
 * pass. Values stay strings (an ID or a name of digits must not turn into a number), namespace
 * prefixes are dropped (`soapenv:Fault` → `Fault`). CDATA never reaches the parser:
 * {@link inlineCdata} has turned it into escaped text, in place.
 */
const PARSER_OPTIONS: X2jOptions = {
  processEntities: false,
  htmlEntities: false,
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  tagValueProcessor: (_name, value) => decodeXmlText(value),
  attributeValueProcessor: (_name, value) => decodeXmlText(value),
}

let parser: InstanceType<typeof XMLParser> | undefined

/**
 * Parses well-formed XML with the configuration above. {@link readSoapBody} refuses a DOCTYPE
 * before it gets here; this configuration is the second line of defence, not the first.
 */
export function parseXml(text: string): unknown {
  // Made on first use so that importing the package does no work.
  parser ??= new XMLParser(PARSER_OPTIONS)
  return parser.parse(text)
}

/** The child element `name` of `node` (the first, if it repeats); an empty element is `{}`. */
export function childOf(node: unknown, name: string): XmlElement | undefined {
  if (!node || typeof node !== 'object' || !Object.hasOwn(node, name)) return undefined
  let value = (node as XmlElement)[name]
  if (Array.isArray(value)) value = value[0]
  if (value === '') return {}
  return value && typeof value === 'object' ? (value as XmlElement) : undefined
}

/**
 * The text of leaf element `name` of `node`: `null` for `xsi:nil="true"`, `undefined` when the
 * element is absent or has child elements.
 */
export function textOf(node: unknown, name: string): string | null | undefined {
  if (!node || typeof node !== 'object' || !Object.hasOwn(node, name)) return undefined
  return leafValue((node as XmlElement)[name])
}

/** The text of an already-read element value (see {@link textOf}). */
export function leafValue(value: unknown): string | null | undefined {
  if (Array.isArray(value)) return leafValue(value[0])
  if (typeof value === 'string') return value
  if (!value || typeof value !== 'object') return undefined
  const element = value as XmlElement
  if (element['@nil'] === 'true') return null
  const keys = Object.keys(element).filter((key) => !key.startsWith('@'))
  if (keys.some((key) => key !== '#text')) return undefined
  return typeof element['#text'] === 'string' ? element['#text'] : ''
}

/**
 * The most a SOAP answer may be, in characters. A login result is about 3 KB and a fault less;
 * a megabyte leaves room for any real one and bounds what a hostile server can make us parse.
 */
export const MAX_SOAP_RESPONSE = 1_048_576

/** What a SOAP call was, for messages: `'SOAP login'`, `'SOAP logout'`. */
export interface SoapCallInfo {
  what: string
  /** Values that must not appear in an error message (the password, a session ID). */
  secrets: readonly (string | undefined)[]
  /** Advice to append to a fault's message, by error code and Salesforce's message. */
  hint?: (errorCode: string, message: string) => string | undefined
}

function invalid(message: string, status: number, cause?: unknown): SfAuthError {
  return new SfAuthError(message, {
    errorCode: 'ERR_INVALID_RESPONSE',
    status,
    ...(cause === undefined ? {} : { cause }),
  })
}

function isHtml(res: HttpResponse, text: string): boolean {
  const type = res.headers.get('content-type') ?? ''
  return type.includes('html') || /^<(?:!doctype\s+html|html[\s>])/i.test(text)
}

/**
 * Parses a SOAP response and returns its `Body`.
 *
 * Before anything is parsed: an HTML page (a proxy, a maintenance page, a captive portal) is
 * reported by its title only; a body with a DOCTYPE is refused outright, since SOAP 1.1 forbids
 * one in a message and it is the carrier of every entity-expansion attack; malformed XML is
 * reported without its content.
 *
 * @throws {SfAuthError} the fault's code (prefix stripped, or the detail's `exceptionCode`) with
 *   its `faultstring` and the HTTP status; `ERR_HTTP` for an HTML page or a non-XML error;
 *   `ERR_INVALID_RESPONSE` for anything else that is not a SOAP envelope.
 * @see https://www.w3.org/TR/2000/NOTE-SOAP-20000508/ (section 3: no DTD in a SOAP message)
 */
export function readSoapBody(res: HttpResponse, call: SoapCallInfo): XmlElement {
  const { status } = res
  const ok = status >= 200 && status < 300
  // The transport has read the body already; the cap bounds the work done on it here (the
  // transport's own read cap, when it has one, is the place to stop reading sooner).
  if (res.text.length > MAX_SOAP_RESPONSE) {
    throw new SfAuthError(
      `${call.what} answered HTTP ${status} with ${res.text.length} characters, more than the ${MAX_SOAP_RESPONSE} a SOAP answer may have; the response was not read`,
      { errorCode: ok ? 'ERR_INVALID_RESPONSE' : 'ERR_HTTP', status },
    )
  }
  const text = res.text.trim()
  const html = isHtml(res, text)
  if (html || !text.startsWith('<')) {
    if (!ok) throw errorFromResponse(res, call.secrets)
    const got = html ? 'an HTML page' : text === '' ? 'an empty body' : 'a body that is not XML'
    throw invalid(
      `${call.what} answered HTTP ${status} with ${got} instead of a SOAP envelope`,
      status,
    )
  }
  if (/<!DOCTYPE/i.test(text)) {
    throw invalid(
      `${call.what} answered HTTP ${status} with a DOCTYPE declaration (${text.length} bytes), which SOAP forbids; the response was not parsed`,
      status,
    )
  }
  const valid = XMLValidator.validate(text)
  if (valid !== true) {
    const { msg, line, col } = valid.err
    throw invalid(
      scrub(
        `${call.what} answered HTTP ${status} with malformed XML (${msg} at line ${line}, column ${col})`,
        call.secrets,
      ),
      status,
    )
  }
  let doc: unknown
  try {
    doc = parseXml(inlineCdata(text))
  } catch (cause) {
    throw invalid(
      `${call.what} answered HTTP ${status} with XML that could not be read`,
      status,
      cause,
    )
  }
  const body = childOf(childOf(doc, 'Envelope'), 'Body')
  if (!body) {
    throw invalid(
      `${call.what} answered HTTP ${status} with XML that is not a SOAP envelope`,
      status,
    )
  }
  const fault = childOf(body, 'Fault')
  if (fault) throw faultError(fault, status, call)
  if (!ok) {
    throw new SfAuthError(`${call.what} answered HTTP ${status} without a SOAP fault`, {
      errorCode: 'ERR_HTTP',
      status,
    })
  }
  return body
}

/** The `exceptionCode` / `exceptionMessage` of the fault's detail element (`sf:LoginFault`, ...). */
function faultDetail(fault: XmlElement): { code?: string; message?: string } {
  const detail = childOf(fault, 'detail')
  for (const key of Object.keys(detail ?? {})) {
    const typed = childOf(detail, key)
    const code = textOf(typed, 'exceptionCode')
    if (code) return { code, message: textOf(typed, 'exceptionMessage') ?? undefined }
  }
  return {}
}

/** SOAP's own fault codes say only whose fault it was; Salesforce's detail code says what. */
const GENERIC_FAULT_CODES = ['Client', 'Server', 'VersionMismatch', 'MustUnderstand']

function faultError(fault: XmlElement, status: number, call: SoapCallInfo): SfAuthError {
  const faultCode = textOf(fault, 'faultcode')?.replace(/^.*:/, '').trim()
  const detail = faultDetail(fault)
  const errorCode =
    (faultCode && !(detail.code && GENERIC_FAULT_CODES.includes(faultCode))
      ? faultCode
      : detail.code) || 'ERR_HTTP'
  const message =
    textOf(fault, 'faultstring') || detail.message || `${call.what} failed with a SOAP fault`
  // Core's rules for a server's code and message: a code that is too long or carries a secret
  // becomes ERR_HTTP; the message is cut, scrubbed and stripped of control characters.
  const err = serverError({ errorCode, message, status }, call.secrets)
  const hint = call.hint?.(err.errorCode, message)
  return hint ? new SfAuthError(err.message + hint, { errorCode: err.errorCode, status }) : err
}
