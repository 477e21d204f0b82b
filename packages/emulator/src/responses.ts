/** Salesforce labels JSON, XML, HTML and text bodies with an explicit UTF-8 charset. */
export const JSON_TYPE = 'application/json;charset=UTF-8'
export const XML_TYPE = 'text/xml;charset=UTF-8'
export const HTML_TYPE = 'text/html;charset=UTF-8'
export const TEXT_TYPE = 'text/plain;charset=UTF-8'

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': JSON_TYPE, ...headers },
  })
}

/**
 * Token endpoint answers are never cached, success or error.
 *
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-5.1
 */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

export function tokenJson(body: unknown): Response {
  return json(body, 200, NO_STORE)
}

/**
 * An OAuth error: 400, a JSON object (never an array) with `error` and `error_description`.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm
 */
export function oauthError(error: string, description: string, status = 400): Response {
  return json({ error, error_description: description }, status, NO_STORE)
}

export function text(body: string, status: number): Response {
  return new Response(body, { status, headers: { 'Content-Type': TEXT_TYPE } })
}

export function html(body: string, status = 200, headers: HeadersInit = {}): Response {
  return new Response(body, { status, headers: { 'Content-Type': HTML_TYPE, ...headers } })
}

export function xml(body: string, status = 200): Response {
  return new Response(body, { status, headers: { 'Content-Type': XML_TYPE } })
}

export function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { Location: location } })
}

/**
 * The REST API's answer to a missing, expired or revoked session.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
export function invalidSession(): Response {
  return json([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }], 401)
}

/**
 * A login refused by the hourly per-user login limit. The OAuth form is inferred: Salesforce
 * documents the limit and the LOGIN_RATE_EXCEEDED status in Login History (Help 000381578), and
 * `rate_limit_exceeded` in its OAuth error code list, but shows no sample response.
 *
 * @see https://help.salesforce.com/s/articleView?id=000381578&type=1
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm
 */
export function loginRateExceeded(): Response {
  return oauthError('rate_limit_exceeded', 'LOGIN_RATE_EXCEEDED: login rate exceeded')
}
