import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'

/** A response body larger than this is refused (core reads at most 1 MiB of one anyway). */
const MAX_BODY_BYTES = 32 * 1024 * 1024

/**
 * `fetch` on Node's own HTTP client, for the connections the CLI makes. Node's global `fetch`
 * costs a fresh process about 130 ms of CPU on its first call (undici and its WebAssembly HTTP
 * parser), several times what `sfauth token` does otherwise; `node:http` costs about 13 ms.
 * It never follows a redirect (the answer comes back as it is, as `redirect: 'manual'` asks),
 * honours `signal`, and hands anything it does not handle (a stream body, a `Request`) to the
 * global `fetch`.
 */
export const nodeFetch: typeof fetch = (input, init = {}) => {
  const body = init.body
  const simpleBody =
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof URLSearchParams ||
    body instanceof Uint8Array
  if (!(typeof input === 'string' || input instanceof URL) || !simpleBody) {
    return globalThis.fetch(input, init)
  }
  const url = new URL(input)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return globalThis.fetch(input, init)
  const headers = new Headers(init.headers)
  const payload =
    body === undefined || body === null
      ? undefined
      : body instanceof Uint8Array
        ? body
        : Buffer.from(String(body))
  if (body instanceof URLSearchParams && !headers.has('content-type')) {
    headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8')
  }
  if (payload) headers.set('content-length', String(payload.byteLength))
  const signal = init.signal ?? undefined
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(
      url,
      {
        method: init.method ?? 'GET',
        headers: plain(headers),
        ...(signal ? { signal } : {}),
      },
      (res) => {
        readAll(res).then(
          (data) =>
            resolve(
              new Response(nullBodyStatus(res.statusCode ?? 0) ? null : data, {
                status: res.statusCode ?? 0,
                statusText: res.statusMessage ?? '',
                headers: responseHeaders(res),
              }),
            ),
          reject,
        )
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

function readAll(res: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    res.on('data', (chunk: Buffer) => {
      size += chunk.byteLength
      if (size > MAX_BODY_BYTES) {
        res.destroy(new Error(`response body larger than ${MAX_BODY_BYTES} bytes`))
        return
      }
      chunks.push(chunk)
    })
    res.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))))
    res.on('error', reject)
  })
}

function plain(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, name) => {
    out[name] = value
  })
  return out
}

function responseHeaders(res: IncomingMessage): Headers {
  const headers = new Headers()
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    headers.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string)
  }
  return headers
}

/** Statuses a `Response` may not carry a body with. */
function nullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304
}
