/** A request as it went on the wire, with its body read once (the original stays unread). */
export interface SentRequest {
  url: string
  method: string
  headers: Headers
  body: string
  /** The body parsed as a form (empty when it is not one). */
  form: URLSearchParams
}

/**
 * A `fetch` that keeps a copy of every request it passes on to `send` (by default the global
 * `fetch`, which msw intercepts), for asserting what went on the wire.
 *
 * `requests` holds the `Request` objects (read their bodies with `await r.text()`), `sent` the
 * same requests already read, and `tokenRequests` the forms of the calls to the token endpoint.
 */
export function recordingFetch(
  send: typeof fetch = (input, init) => globalThis.fetch(input, init),
): {
  fetch: typeof fetch
  requests: Request[]
  sent: SentRequest[]
  tokenRequests: URLSearchParams[]
} {
  const requests: Request[] = []
  const sent: SentRequest[] = []
  const tokenRequests: URLSearchParams[] = []
  return {
    requests,
    sent,
    tokenRequests,
    fetch: async (input, init) => {
      const request = new Request(input, init)
      requests.push(request.clone())
      const body = await request.clone().text()
      const isForm = /application\/x-www-form-urlencoded/.test(
        request.headers.get('content-type') ?? '',
      )
      sent.push({
        url: request.url,
        method: request.method,
        headers: request.headers,
        body,
        form: new URLSearchParams(isForm ? body : ''),
      })
      if (new URL(request.url).pathname.endsWith('/services/oauth2/token')) {
        tokenRequests.push(new URLSearchParams(isForm ? body : ''))
      }
      return send(input, init)
    },
  }
}
