// Inlined at build from ofetch's runtime-neutral build (tsdown.config.ts): no node-fetch-native.
import { createFetch } from 'ofetch'
import { SfAuthError } from './errors.js'
import { errorFromResponse } from './parse-error.js'
import { scrub } from './redact.js'
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
}

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
  if (res.text.trim() === '') return undefined as T
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
  const custom = options.fetch
  const $fetch = createFetch({
    fetch: (input, init) => (custom ?? globalThis.fetch)(input, init),
    Headers: globalThis.Headers,
    AbortController: globalThis.AbortController,
  })

  async function send(request: HttpRequest): Promise<HttpResponse> {
    const url = secureUrl(request.url, 'Request URL').href
    const { body, contentType } = bodyOf(request)
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers }
    if (contentType) headers['Content-Type'] = contentType

    // ofetch ignores its own `timeout` when a `signal` is passed, so the timeout and the
    // caller's signal share one controller here.
    const controller = new AbortController()
    let timedOut = false
    const timer =
      options.timeout === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true
            controller.abort()
          }, options.timeout)
    const onAbort = () => controller.abort()
    request.signal?.addEventListener('abort', onAbort, { once: true })
    const method = request.method ?? (body === undefined ? 'GET' : 'POST')
    try {
      const res = await $fetch.raw<string, 'text'>(url, {
        method,
        headers,
        body,
        signal: controller.signal,
        responseType: 'text',
        ignoreResponseError: true,
        retry: false,
      })
      return {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
        text: typeof res._data === 'string' ? res._data : '',
      }
    } catch (cause) {
      const where = `${method} ${new URL(url).origin}${new URL(url).pathname}`
      if (timedOut) {
        throw new SfAuthError(`${where} timed out after ${options.timeout} ms`, {
          errorCode: 'ERR_TIMEOUT',
          cause,
        })
      }
      const reason = cause instanceof Error ? (cause.cause ?? cause) : cause
      const detail = reason instanceof Error ? reason.message : String(reason)
      throw new SfAuthError(scrub(`${where} failed: ${detail}`, request.secrets), {
        errorCode: 'ERR_NETWORK',
        cause,
      })
    } finally {
      if (timer !== undefined) clearTimeout(timer)
      request.signal?.removeEventListener('abort', onAbort)
    }
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
