// Inlined at build from ofetch's runtime-neutral build (tsdown.config.ts): no node-fetch-native.
import { createFetch } from 'ofetch'
import { SfAuthError } from './errors.js'
import { errorFromResponse } from './parse-error.js'
import { safeCause } from './safe-cause.js'
import { secureUrl } from './url.js'

/** One HTTP call made through {@link Http}. */
export interface HttpRequest {
  url: string
  method?: string
  headers?: Record<string, string>
  /** Sent as `application/x-www-form-urlencoded`; `undefined` values are left out. */
  form?: Record<string, string | undefined>
  /** Sent as `application/json`. */
  json?: unknown
  /** Sent as it is (SOAP envelopes); set the content type in `headers`. */
  body?: string
  signal?: AbortSignal
  /** Values that must never appear in an error message (passwords, secrets, tokens). */
  secrets?: readonly (string | undefined)[]
  /**
   * The most bytes read of a 2xx body; a larger one rejects with `ERR_INVALID_RESPONSE`.
   * Default 1 MiB (`MAX_RESPONSE_BYTES`). Any other answer is read up to that default and cut there.
   */
  maxBytes?: number
}

/**
 * The most bytes the transport reads of an answer by default (1 MiB): token answers, SOAP answers
 * and every error body. A token answer is a few kilobytes; nothing larger is read into memory.
 */
export const MAX_RESPONSE_BYTES = 1024 * 1024

/** A response read to the end as text. */
export interface HttpResponse {
  status: number
  statusText: string
  headers: Headers
  text: string
}

/** The transport every flow uses: one `fetch`, one timeout, one way of turning failures into errors. */
export interface Http {
  /** Sends the request and returns any response; rejects only when there is no response. */
  send(request: HttpRequest): Promise<HttpResponse>
  /** Sends the request; a non-2xx answer rejects with an {@link SfAuthError}, a 2xx one is parsed as JSON. */
  json<T>(request: HttpRequest): Promise<T>
}

/** Options for {@link createHttp}. */
export interface HttpOptions {
  /** The `fetch` to use; defaults to the global one, looked up at call time. */
  fetch?: typeof fetch
  /** Milliseconds per call before it fails with `ERR_TIMEOUT`. */
  timeout?: number
}

function bodyOf(request: HttpRequest): { body?: string; contentType?: string } {
  if (request.form) {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(request.form)) {
      if (value !== undefined) params.append(key, value)
    }
    return { body: params.toString(), contentType: 'application/x-www-form-urlencoded' }
  }
  if (request.json !== undefined) {
    return { body: JSON.stringify(request.json), contentType: 'application/json' }
  }
  return request.body === undefined ? {} : { body: request.body }
}

/**
 * A redirect is refused, never followed: it names the Location's origin only (its path or query
 * may carry what was sent). A browser's `redirect: 'manual'` gives an opaque answer with status 0.
 * Also `conn.fetch()`'s `redirect: 'error'`.
 */
export function refuseRedirect(res: Response, url: URL): void {
  if (res.type !== 'opaqueredirect' && !REDIRECTS.includes(res.status)) return
  let target = 'an unknown origin'
  try {
    target = new URL(res.headers.get('location') as string, url).origin
  } catch {
    // no Location (a browser hides it), or an unreadable one
  }
  void res.body?.cancel().catch(() => {})
  throw new SfAuthError(
    `${url.origin}${url.pathname} answered HTTP ${res.status}, a redirect to ${target}: not followed`,
    { errorCode: 'ERR_REDIRECT', status: res.status || undefined },
  )
}

/** The statuses the Web fetch treats as redirects. */
export const REDIRECTS = [301, 302, 303, 307, 308]

/** The first `code` down an error's cause chain (undici's `UND_ERR_SOCKET`, Node's `ECONNRESET`). */
function errorCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 4; e = (e as Error).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}

/**
 * Reads a body as text, at most `limit` bytes: a 2xx body past `limit` rejects; with `limit` 0
 * (an error body) it is cut at {@link MAX_RESPONSE_BYTES}. Nothing past the cut is read.
 */
async function readText(
  stream: ReadableStream<Uint8Array> | undefined,
  answered: string,
  status: number,
  limit: number,
): Promise<string> {
  if (!stream) return ''
  const cap = limit || MAX_RESPONSE_BYTES
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let bytes = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return text + decoder.decode()
    bytes += value.byteLength
    if (bytes > cap) {
      void reader.cancel().catch(() => {})
      if (limit) {
        throw new SfAuthError(
          `${answered} with more than the ${cap} bytes allowed; it was not read`,
          {
            errorCode: 'ERR_INVALID_RESPONSE',
            status,
          },
        )
      }
      return text + decoder.decode(value.subarray(0, value.byteLength - (bytes - cap)))
    }
    text += decoder.decode(value, { stream: true })
  }
}

/**
 * Parses a 2xx body as JSON: empty is `undefined`; anything else that is not JSON rejects.
 *
 * @param res the response, read as text.
 * @param url the request URL, named (path only) in the error message.
 * @returns the parsed body.
 * @throws {SfAuthError} `ERR_INVALID_RESPONSE` for a body that is not JSON or was cut short.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest_resources.htm
 * @example
 * ```ts
 * const res = await ctx.http.send({ url })
 * const body = parseJsonBody<{ records: unknown[] }>(res, url)
 * ```
 */
export function parseJsonBody<T>(res: HttpResponse, url: string): T {
  // Blank is `undefined`; the test stops at the first character that is not white space.
  if (!/\S/.test(res.text)) return undefined as T
  try {
    return JSON.parse(res.text) as T
  } catch (cause) {
    const type = res.headers.get('content-type') ?? 'no content type'
    throw new SfAuthError(
      `Expected JSON from ${new URL(url).pathname} but got ${type} (${res.text.length} bytes; truncated or not JSON)`,
      { errorCode: 'ERR_INVALID_RESPONSE', status: res.status, cause },
    )
  }
}

/** Hands one prepared call to the runtime; the answer comes back unread. */
type Exchange = (url: string, init: RequestInit) => Promise<Response>

/**
 * Creates the transport, built on ofetch with retries off (a login must never be sent twice
 * behind the caller's back) and response errors handled here, not by ofetch.
 *
 * @param options the `fetch` to use (default the global one) and a `timeout` in milliseconds.
 * @returns an {@link Http}: `send` (any status) and `json` (non-2xx rejects).
 * @throws never itself; its calls reject with `SfAuthError` `ERR_NETWORK`, `ERR_TIMEOUT`,
 *   `ERR_INSECURE_URL`, or Salesforce's error for a non-2xx `json` call.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 * @example
 * ```ts
 * const http = createHttp({ fetch: emu.fetch, timeout: 10_000 })
 * const claims = await http.json({ url: `${instanceUrl}/services/oauth2/userinfo`, headers })
 * ```
 */
export function createHttp(options: HttpOptions = {}): Http {
  const $fetch = createFetch({
    fetch: runtimeFetch(options.fetch),
    Headers: globalThis.Headers,
    AbortController: globalThis.AbortController,
  })
  return transport(options, (url, init) =>
    $fetch.raw(url, { ...init, responseType: 'stream', ignoreResponseError: true, retry: false }),
  )
}

/**
 * The transport of a connection's REST calls (`conn.request()`): every check {@link createHttp}
 * makes, with the runtime's `fetch` called straight. ofetch's per-call layer measured 2 to 2.5%
 * of a warm request to a loopback server (`pnpm bench --only=warm-request`), and a REST call uses
 * none of its options; `conn.fetch()` calls the runtime's `fetch` straight too.
 */
export function createRestHttp(options: HttpOptions = {}): Http {
  return transport(options, runtimeFetch(options.fetch))
}

/** `custom`, else the global `fetch` looked up at call time (a test or polyfill may replace it). */
function runtimeFetch(custom: typeof fetch | undefined): typeof fetch {
  return (input, init) => (custom ?? globalThis.fetch)(input, init)
}

/** The transport's checks and error handling around `exchange`, the step that reaches the runtime. */
function transport(options: HttpOptions, exchange: Exchange): Http {
  async function send(request: HttpRequest): Promise<HttpResponse> {
    const url = secureUrl(request.url, 'Request URL')
    const { body, contentType } = bodyOf(request)
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers }
    if (contentType) headers['Content-Type'] = contentType
    const method = request.method ?? (body === undefined ? 'GET' : 'POST')

    // ofetch ignores its own `timeout` when a `signal` is passed, so the timeout and the
    // caller's signal share one controller here. The timer runs until the body is read. With
    // neither, no signal is passed at all: a signal costs `fetch` an abort listener per request
    // (about 4% of a warm request to a loopback server).
    const controller =
      options.timeout === undefined && !request.signal ? undefined : new AbortController()
    let timedOut = false
    const timer =
      options.timeout === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true
            controller?.abort()
          }, options.timeout)
    const onAbort = () => controller?.abort()
    request.signal?.addEventListener('abort', onAbort, { once: true })
    if (request.signal?.aborted) controller?.abort()
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await exchange(url.href, {
            method,
            headers,
            body,
            signal: controller?.signal,
            // A redirect would resend the credentials (a POST body, the Authorization header).
            redirect: 'manual',
          })
          refuseRedirect(res, url)
          const ok = res.status >= 200 && res.status < 300
          const limit = ok ? (request.maxBytes ?? MAX_RESPONSE_BYTES) : 0
          return {
            status: res.status,
            statusText: res.statusText,
            headers: res.headers,
            // Uncapped (a REST answer): read whole by the runtime, which is cheaper than chunks.
            text:
              limit === Number.POSITIVE_INFINITY
                ? await res.text()
                : await readText(
                    res.body ?? undefined,
                    `${url.origin}${url.pathname} answered HTTP ${res.status}`,
                    res.status,
                    limit,
                  ),
          }
        } catch (cause) {
          if (cause instanceof SfAuthError && !timedOut) throw cause
          const reason = cause instanceof Error ? (cause.cause ?? cause) : cause
          // A kept-alive socket the server was closing: one more try for a GET without a body,
          // which a server never saw (or may see twice without harm).
          const code = errorCode(reason)
          if (
            attempt === 0 &&
            method === 'GET' &&
            body === undefined &&
            !controller?.signal.aborted &&
            (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')
          )
            continue
          throw failure(
            reason,
            `${method} ${url.origin}${url.pathname}`,
            request.secrets,
            timedOut,
            request.signal?.aborted,
          )
        }
      }
    } finally {
      if (timer !== undefined) clearTimeout(timer)
      request.signal?.removeEventListener('abort', onAbort)
    }
  }

  function failure(
    reason: unknown,
    where: string,
    secrets: HttpRequest['secrets'],
    timedOut: boolean,
    aborted: boolean | undefined,
  ): SfAuthError {
    if (timedOut) {
      return new SfAuthError(`${where} timed out after ${options.timeout} ms`, {
        errorCode: 'ERR_TIMEOUT',
      })
    }
    if (aborted) {
      return new SfAuthError(`${where} was aborted by the caller`, { errorCode: 'ERR_ABORTED' })
    }
    // The original error may quote the request (a custom fetch, a proxy): only a scrubbed copy
    // of its name, code and message is kept as the cause.
    const safe = safeCause(reason, secrets, errorCode(reason)) ?? new Error('unknown error')
    return new SfAuthError(`${where} failed: ${safe.message}`, {
      errorCode: 'ERR_NETWORK',
      cause: safe,
    })
  }

  return {
    send,
    async json<T>(request: HttpRequest): Promise<T> {
      const res = await send(request)
      if (res.status < 200 || res.status >= 300) throw errorFromResponse(res, request.secrets)
      return parseJsonBody<T>(res, request.url)
    },
  }
}
