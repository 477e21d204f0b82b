import { SfAuthError } from './errors.js'
import type { Http } from './transport.js'

function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/**
 * The text of the first `<faultcode>` / `<faultstring>` leaf in a SOAP fault. Only these two
 * leaves of a fault are read here, so core needs no XML parser; `@sfauth/soap-login` parses
 * whole envelopes with fast-xml-parser.
 */
function leafText(xml: string, name: string): string | undefined {
  const open = xml.indexOf(`<${name}>`)
  if (open < 0) return undefined
  const start = open + name.length + 2
  const end = xml.indexOf(`</${name}>`, start)
  return end < 0 ? undefined : xml.slice(start, end).trim()
}

/**
 * Ends a SOAP session (a session ID from SOAP login, a Visualforce page or a custom link) with
 * the Partner API `logout()` call. A session that is already invalid counts as logged out.
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
 * @throws {SfAuthError} with the fault code (prefix stripped) for any other fault.
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
      '<?xml version="1.0" encoding="utf-8"?>' +
      '<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header>' +
      `<SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>${xmlEscape(sessionId)}</sessionId></SessionHeader>` +
      '</se:Header><se:Body><logout xmlns="urn:partner.soap.sforce.com"/></se:Body></se:Envelope>',
    secrets: [sessionId],
  })
  if (res.status === 200) return
  const code = leafText(res.text, 'faultcode')?.replace(/^.*:/, '')
  if (code === 'INVALID_SESSION_ID') return
  const message = leafText(res.text, 'faultstring') ?? `HTTP ${res.status} from SOAP logout`
  throw new SfAuthError(message.split(sessionId).join('[redacted]'), {
    errorCode: code ?? 'ERR_HTTP',
    status: res.status,
  })
}
