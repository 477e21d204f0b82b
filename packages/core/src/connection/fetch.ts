import { SfAuthError } from '../errors.js'
import { errorFromResponse } from '../parse-error.js'
import { scrub } from '../redact.js'
import { isExpiredSession } from './renewal.js'
import { type RequestTarget, resolveRequestUrl } from './request-url.js'

/** One `conn.fetch()` call made ready to send, once or twice, with any token. */
export interface PreparedFetch {
  /** Sends it with `token`; an expired-session answer rejects (see {@link isExpiredFetch}). */
  send(token: string): Promise<Response>
  /** Whether the body can be sent a second time (not a one-shot stream). */
  replayable: boolean
}

/** The error of an expired-session answer, and the answer itself (unread) for the caller. */
const expiredAnswers = new WeakMap<object, Response>()

/** An expiry that {@link PreparedFetch.send} turned into an error; its response is kept. */
export function isExpiredFetch(err: unknown): err is SfAuthError {
  return expiredAnswers.has(err as object)
}

/** The response behind an error from {@link isExpiredFetch}, unread. */
export function expiredResponse(err: unknown): Response | undefined {
  return expiredAnswers.get(err as object)
}

const MAX_REDIRECTS = 5

/**
 * Prepares `conn.fetch(input, init)`: the URL resolved and checked with {@link resolveRequestUrl}
 * (the origin rule of `request()`), the body made replayable when it can be (a `Request`'s body
 * is read once into bytes; a `ReadableStream` body is one-shot), and a `send(token)` that adds
 * `Authorization`, follows redirects only within the allowed origins, and turns a `401`/`403`
 * that a renewal can cure into an error without reading the body it returns.
 */
export async function prepareFetch(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  target: RequestTarget,
  fetchImpl: typeof fetch,
): Promise<PreparedFetch> {
  const request = input instanceof Request ? input : undefined
  const url = resolveRequestUrl(request ? request.url : String(input), target)
  const headers = new Headers(init?.headers ?? request?.headers)
  let body: BodyInit | null | undefined = init?.body
  if (body === undefined && request?.body) body = await request.arrayBuffer()
  const method = init?.method ?? request?.method ?? 'GET'
  const signal = init?.signal ?? request?.signal
  const replayable = !(body instanceof ReadableStream)
  const base: RequestInit = {
    ...init,
    signal,
    // A stream body needs half duplex in Node and in browsers that stream uploads.
    ...(!replayable && { duplex: 'half' }),
  }
  const follow = (init?.redirect ?? request?.redirect ?? 'follow') === 'follow'
  const allowed = (href: string): string | undefined => {
    try {
      return resolveRequestUrl(href, target)
    } catch {
      return undefined
    }
  }

  async function sendOnce(token: string): Promise<Response> {
    const sent = new Headers(headers)
    sent.set('Authorization', `Bearer ${token}`)
    let where = url
    let verb = method
    let payload = body
    for (let hops = 0; ; hops++) {
      let res: Response
      try {
        res = await fetchImpl(where, {
          ...base,
          method: verb,
          headers: sent,
          body: payload,
          // Never let the runtime follow: the token must not reach another origin.
          redirect: follow ? 'manual' : base.redirect,
        })
      } catch (cause) {
        if (signal?.aborted) throw cause
        const { origin, pathname } = new URL(where)
        throw new SfAuthError(scrub(`${verb} ${origin}${pathname} failed: ${cause}`, [token]), {
          errorCode: 'ERR_NETWORK',
        })
      }
      const location = res.headers.get('location')
      if (!follow || res.status < 300 || res.status > 399 || !location || hops >= MAX_REDIRECTS)
        return res
      // Another origin: the caller gets the 3xx as it is and decides, without the token.
      const next = allowed(new URL(location, where).href)
      if (!next) return res
      const toGet = res.status === 303 || (res.status <= 302 && verb === 'POST')
      if (!toGet && !replayable && payload != null) return res
      // Free the connection; not awaited (some fetch stand-ins never settle a cancel).
      res.body?.cancel().catch(() => {})
      if (toGet && verb !== 'HEAD') {
        verb = 'GET'
        payload = undefined
        sent.delete('content-type')
      }
      where = next
    }
  }

  return {
    replayable,
    async send(token) {
      const res = await sendOnce(token)
      if (!replayable || (res.status !== 401 && res.status !== 403)) return res
      // Read a copy: the response itself goes back to the caller unread.
      const text = await res.clone().text()
      const err = errorFromResponse(
        { status: res.status, statusText: res.statusText, headers: res.headers, text },
        [token],
      )
      if (!isExpiredSession(err)) return res
      expiredAnswers.set(err, res)
      throw err
    },
  }
}
