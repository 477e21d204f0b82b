import { SfAuthError } from '../errors.js'
import { errorFromResponse } from '../parse-error.js'
import { scrub } from '../redact.js'
import { REDIRECTS, refuseRedirect } from '../transport.js'
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
 * How much of a 401/403 body is read to tell an expired session (characters; reading stops with
 * the chunk that reaches it): Salesforce's answer is under 200 bytes, so a larger body is not one
 * and is left for the caller to read (or not).
 */
const EXPIRY_TEXT = 4096
/** How long that read may take: a body that trickles or never ends must not hold the call. */
const EXPIRY_MS = 2000

/**
 * Reads at most {@link EXPIRY_TEXT} of a copy of `res`, for at most {@link EXPIRY_MS}; then the
 * copy is cancelled, so the rest is read only if the caller reads the response itself.
 */
async function peek(res: Response): Promise<string> {
  const reader = res.clone().body?.getReader()
  if (!reader) return ''
  // Cancelling ends a pending read as done: a body that trickles or never ends stops there.
  const stop = () => reader.cancel().catch(() => {})
  const timer = setTimeout(stop, EXPIRY_MS)
  const decoder = new TextDecoder()
  let text = ''
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      text += decoder.decode(next.value, { stream: true })
      if (text.length >= EXPIRY_TEXT) break
    }
  } finally {
    clearTimeout(timer)
    stop()
  }
  return text
}

/**
 * Prepares `conn.fetch(input, init)`: the URL checked with {@link resolveRequestUrl} (the origin
 * rule of `request()`), the body made replayable when it can be (a `Request`'s body is read once
 * into bytes; a `ReadableStream` body is one-shot), and a `send(token)` that adds
 * `Authorization`, applies the redirect mode itself (the runtime is always told `'manual'`) and
 * turns a `401`/`403` that a renewal can cure into an error without reading the body it returns.
 *
 * Each send resolves the URL and the origins a redirect may reach against `target()`, the
 * session at that moment: after a renewal that moved the session to another instance, a relative
 * path goes to the new instance, and an absolute URL on the old one is refused.
 */
export async function prepareFetch(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  target: () => RequestTarget,
  fetchImpl: typeof fetch,
): Promise<PreparedFetch> {
  const request = input instanceof Request ? input : undefined
  const asked = request ? request.url : String(input)
  // Refused before a Request's body is read; checked again on each send.
  resolveRequestUrl(asked, target())
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
    // Never let the runtime follow: a fetch that follows on its own (node-fetch 2) would resend
    // the Authorization header to wherever the Location points. The mode is applied below.
    redirect: 'manual',
  }
  // A Request carries its own mode ('follow' unless it was made with another).
  const mode = init?.redirect ?? request?.redirect ?? 'follow'

  async function sendOnce(token: string): Promise<Response> {
    const now = target()
    const sent = new Headers(headers)
    sent.set('Authorization', `Bearer ${token}`)
    let where = resolveRequestUrl(asked, now)
    let verb = method
    let payload = body
    for (let hops = 0; ; hops++) {
      let res: Response
      try {
        res = await fetchImpl(where, { ...base, method: verb, headers: sent, body: payload })
      } catch (cause) {
        if (signal?.aborted) throw cause
        const { origin, pathname } = new URL(where)
        throw new SfAuthError(scrub(`${verb} ${origin}${pathname} failed: ${cause}`, [token]), {
          errorCode: 'ERR_NETWORK',
        })
      }
      if (mode === 'manual' || !(res.type === 'opaqueredirect' || REDIRECTS.includes(res.status)))
        return res
      // 'error': rejects with ERR_REDIRECT, as every call of the transport does.
      if (mode === 'error') refuseRedirect(res, new URL(where))
      const location = res.headers.get('location')
      if (!location || hops >= MAX_REDIRECTS) return res
      // Another origin: the caller gets the 3xx as it is and decides, without the token.
      let next: string
      try {
        next = resolveRequestUrl(new URL(location, where).href, now)
      } catch {
        return res
      }
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

  /** The expired-session answer of the previous send, which nobody reads once this one starts. */
  let dropped: Response | undefined
  return {
    replayable,
    async send(token) {
      dropped?.body?.cancel().catch(() => {})
      const res = await sendOnce(token)
      if (!replayable || (res.status !== 401 && res.status !== 403)) return res
      // Read a bounded copy: the response itself goes back to the caller unread.
      const text = await peek(res)
      const err = errorFromResponse(
        { status: res.status, statusText: res.statusText, headers: res.headers, text },
        [token],
      )
      if (!isExpiredSession(err)) return res
      expiredAnswers.set(err, res)
      dropped = res
      throw err
    },
  }
}
