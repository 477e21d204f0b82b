import { SfAuthError } from './errors.js'
import type { Http, HttpResponse } from './transport.js'

function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/** An optional namespace prefix. */
const PREFIX = '(?:[\\w.-]+:)?'

/**
 * The local name of the first element inside the envelope's `Body` (`logoutResponse`, `Fault`),
 * or `undefined` when the text is not a SOAP envelope. A string check on purpose: core has no
 * XML parser (fast-xml-parser stays in `@sfauth/soap-login`), and this answer needs none: the
 * `Header` is cut out first so no header element can pose as the body, then the first start tag
 * after `<Body>` (comments skipped) is read.
 */
export function soapBodyElement(xml: string): string | undefined {
  if (!new RegExp(`^\\s*(?:<\\?xml[^>]*>\\s*)?<${PREFIX}Envelope[\\s>]`).test(xml)) return undefined
  const body = xml.replace(new RegExp(`<(${PREFIX})Header[\\s\\S]*?</\\1Header\\s*>`), '')
  return new RegExp(
    `<${PREFIX}Body(?:\\s[^>]*)?>\\s*(?:<!--[\\s\\S]*?-->\\s*)*<${PREFIX}([\\w.-]+)`,
  ).exec(body)?.[1]
}

/** The text of the first `<faultcode>` / `<faultstring>` leaf of a SOAP 1.1 fault (unqualified). */
function leafText(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]?.trim()
}

function logoutError(res: HttpResponse, sessionId: string): SfAuthError | undefined {
  const element = soapBodyElement(res.text)
  if (res.status === 200 && element === 'logoutResponse') return undefined
  const code =
    element === 'Fault' ? leafText(res.text, 'faultcode')?.replace(/^.*:/, '') : undefined
  if (code === 'INVALID_SESSION_ID') return undefined
  const message =
    (code && leafText(res.text, 'faultstring')) ||
    `SOAP logout answered HTTP ${res.status} ${element ? `with ${element}` : 'without a SOAP envelope'} instead of a logoutResponse`
  return new SfAuthError(message.split(sessionId).join('[redacted]'), {
    errorCode: code || (res.status === 200 ? 'ERR_INVALID_RESPONSE' : 'ERR_HTTP'),
    status: res.status,
  })
}

/**
 * Ends a SOAP session (a session ID from SOAP login, a Visualforce page or a custom link) with
 * the Partner API `logout()` call.
 *
 * The rule is Salesforce's: the call succeeded only when the answer is a `200` whose SOAP body is
 * a `logoutResponse`. A fault `INVALID_SESSION_ID` (the session is already invalid) counts as
 * logged out too. Anything else (another fault, an HTML page from a proxy, a `200` with another
 * body) rejects, and the caller keeps the session.
 *
 * @param http the transport (`ctx.http`).
 * @param serverUrl the instance URL (or any URL on the instance).
 * @param version the API version of the SOAP endpoint, such as `'64.0'`.
 * @param sessionId the session to end; never shown in an error message.
 * @returns a promise that resolves once the session is no longer valid on the server.
 * @example
 * ```ts
 * logout: (ctx, session) =>
 *   session.kind === 'soap' ? soapLogout(ctx.http, session.instanceUrl, ctx.version, session.accessToken) : undefined,
 * ```
 * @throws {SfAuthError} the fault's code (prefix stripped) with its `faultstring` and status;
 *   `ERR_HTTP` for another answer that is not a `200` (an HTML page); `ERR_INVALID_RESPONSE` for a
 *   `200` without a `logoutResponse`.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_logout.htm
 */
export async function soapLogout(
  http: Http,
  serverUrl: string,
  version: string,
  sessionId: string,
): Promise<void> {
  const url = `${new URL(serverUrl).origin}/services/Soap/u/${version}`
  const res = await http.send({
    url,
    method: 'POST',
    headers: {
      'Content-Type': 'text/xml; charset=UTF-8',
      SOAPAction: 'logout',
      Accept: 'text/xml',
    },
    body:
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header>' +
      `<SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>${xmlEscape(sessionId)}</sessionId></SessionHeader>` +
      '</se:Header><se:Body><logout xmlns="urn:partner.soap.sforce.com"/></se:Body></se:Envelope>',
    secrets: [sessionId],
  })
  const err = logoutError(res, sessionId)
  if (err) throw err
}
