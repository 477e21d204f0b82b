/**
 * Answers a CORS preflight the way a permissive CORS allowlist entry does: the requesting origin,
 * method and headers are echoed back.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.extend_code_cors.htm
 */
export function preflight(request: Request): Response {
  const headers = new Headers(corsHeaders(request))
  headers.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
  const requested = request.headers.get('access-control-request-headers')
  if (requested) headers.set('Access-Control-Allow-Headers', requested)
  headers.set('Access-Control-Max-Age', '600')
  return new Response(null, { status: 204, headers })
}

/** Whether a request is a CORS preflight rather than a real OPTIONS call. */
export function isPreflight(request: Request): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.headers.has('origin') &&
    request.headers.has('access-control-request-method')
  )
}

/** Copies a response, adding the CORS headers for the request's origin. */
export function withCors(request: Request, response: Response): Response {
  const extra = corsHeaders(request)
  if (Object.keys(extra).length === 0) return response
  const headers = new Headers(response.headers)
  for (const [name, value] of Object.entries(extra)) headers.set(name, value)
  return new Response(response.body, { status: response.status, headers })
}

function corsHeaders(request: Request): Record<string, string> {
  const origin = request.headers.get('origin')
  if (!origin) return {}
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    Vary: 'Origin',
  }
}
