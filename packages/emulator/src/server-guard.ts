import type { IncomingMessage } from 'node:http'

/**
 * The largest request body the loopback server reads: 1 MiB. Salesforce limits a SOAP `login()`
 * request to 10 KB and documents no smaller figure for the OAuth endpoints; every body the emulator
 * takes (a token form, a JWT, a SOAP envelope, a 10,000-character subject token) fits many times
 * over, and a larger one is refused before it is read, so a client cannot make the server buffer
 * without bound.
 *
 * @see https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-apicalls.html
 */
export const MAX_BODY_BYTES = 1024 * 1024

/** Why a request is turned away before it reaches the emulator. */
export interface Refusal {
  status: number
  message: string
}

/**
 * Whether the `Host` a request names is one the server answers: a loopback name, or one the caller
 * listed. A page on another site that rebinds its own name to 127.0.0.1 (DNS rebinding) still sends
 * its own name as `Host`, so checking it keeps such a page from driving the emulator with the
 * user's browser.
 */
export function checkHost(req: IncomingMessage, allowed: ReadonlySet<string>): Refusal | undefined {
  const host = req.headers.host
  const hostname = host === undefined ? undefined : hostnameOf(host)
  if (hostname !== undefined && (isLoopback(hostname) || allowed.has(hostname))) return undefined
  return { status: 403, message: 'Blocked request: this Host is not allowed on the emulator.\n' }
}

/**
 * The name part of a `Host` header, lower-cased, IPv6 brackets kept; undefined when the header is
 * anything but a name or address and an optional port (no userinfo, path or stray characters).
 */
function hostnameOf(host: string): string | undefined {
  return /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(host)?.[1]?.toLowerCase()
}

/**
 * Reads a request body up to `limit` bytes. A declared `Content-Length` above the limit is refused
 * before any byte is read; a chunked body is counted as it arrives and dropped at the limit.
 */
export async function readBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<Uint8Array<ArrayBuffer> | Refusal> {
  const tooLarge: Refusal = {
    status: 413,
    message: `Request body larger than the emulator's limit of ${limit} bytes.\n`,
  }
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) return tooLarge
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let size = 0
    const stop = (result: Uint8Array<ArrayBuffer> | Refusal) => {
      req.off('data', onData).off('end', onEnd).off('error', onError)
      resolve(result)
    }
    // Paused rather than destroyed, so the answer can still go out on the same connection.
    const onData = (chunk: Uint8Array) => {
      size += chunk.byteLength
      if (size <= limit) return void chunks.push(chunk)
      req.pause()
      stop(tooLarge)
    }
    const onEnd = () => stop(new Uint8Array(Buffer.concat(chunks)))
    const onError = (error: Error) => {
      req.off('data', onData).off('end', onEnd)
      reject(error)
    }
    req.on('data', onData).on('end', onEnd).on('error', onError)
  })
}

/**
 * Loopback names, as in `hosts.ts`; repeated here so the server stays one file the Web-standard
 * entries never share a chunk with.
 */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/** Normalises the names a caller allows besides loopback (`example.test`, `[::1]`). */
export function allowedHostSet(hosts: readonly string[] = []): Set<string> {
  return new Set(hosts.map((host) => hostnameOf(host) ?? host.toLowerCase()))
}
