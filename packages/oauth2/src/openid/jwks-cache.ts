import { createHttp, type Http, parseJsonBody, SfAuthError } from '@sfauth/core/flow'
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose'

/** Issuers remembered per `fetch`; the least recently used one is dropped past this. */
const MAX_ISSUERS = 32
/** Keys are fetched again after this long, so a key Salesforce withdrew stops being trusted. */
const MAX_AGE_MS = 60 * 60 * 1000
/**
 * An unknown `kid` refetches the keys, but not more often than this per issuer: a stream of
 * tokens with made-up key ids must not turn into a stream of requests to the issuer.
 */
export const REFETCH_COOLDOWN_MS = 30 * 1000
/** Milliseconds for one JWKS request. */
const TIMEOUT_MS = 10 * 1000
/**
 * The most bytes read of a key set. Salesforce's holds a handful of RSA keys (a few KB); a larger
 * answer is refused while it streams, never read whole.
 */
export const MAX_KEY_SET_BYTES = 256 * 1024
/**
 * Key sets fetched for issuers not in the cache, per `fetch`, in any {@link NEW_ISSUER_WINDOW_MS}:
 * the issuer comes from the token, so a stream of tokens naming invented issuers (any My Domain
 * name is a valid host) must not become a stream of outbound requests.
 */
export const NEW_ISSUER_BUDGET = 16
/** The window of {@link NEW_ISSUER_BUDGET}. */
export const NEW_ISSUER_WINDOW_MS = 60 * 1000

interface Entry {
  keys: JWTVerifyGetKey
  fetchedAt: number
}

interface IssuerCache {
  http: Http
  entries: Map<string, Entry>
  pending: Map<string, Promise<Entry>>
  /** When each download for an uncached issuer started, within the last window. */
  downloads: number[]
}

// One cache per fetch function: the global fetch shares keys across calls, and a custom fetch
// (a test's, a proxy's) never sees keys another one fetched.
const caches = new WeakMap<typeof fetch, IssuerCache>()

function cacheOf(fetchFn: typeof fetch): IssuerCache {
  let cache = caches.get(fetchFn)
  if (!cache) {
    // Core's transport: no redirect followed (the keys must come from the issuer's own
    // /id/keys), a timeout, and the body streamed under a cap.
    const http = createHttp({ fetch: fetchFn, timeout: TIMEOUT_MS })
    cache = { http, entries: new Map(), pending: new Map(), downloads: [] }
    caches.set(fetchFn, cache)
  }
  return cache
}

async function download(http: Http, jwksUrl: string): Promise<JSONWebKeySet> {
  const res = await http.send({ url: jwksUrl, maxBytes: MAX_KEY_SET_BYTES })
  if (res.status !== 200) {
    throw new SfAuthError(`Could not fetch the id_token keys from ${jwksUrl}: HTTP ${res.status}`, {
      errorCode: 'ERR_HTTP',
      status: res.status,
    })
  }
  let body: unknown
  try {
    body = parseJsonBody(res, jwksUrl)
  } catch {
    body = undefined
  }
  if (
    typeof body !== 'object' ||
    body === null ||
    !Array.isArray((body as { keys?: unknown }).keys)
  ) {
    throw new SfAuthError(`${jwksUrl} did not answer with a JSON Web Key Set`, {
      errorCode: 'ERR_INVALID_RESPONSE',
      status: res.status,
    })
  }
  return body as JSONWebKeySet
}

/**
 * The key set at `keysUrl` (an issuer's `/id/keys`), cached; `refresh` asks for a new download
 * when the cached one has no matching key and the cooldown has passed.
 * @returns the keys, and whether they were downloaded by this call.
 * @throws {SfAuthError} `ERR_ID_TOKEN_INVALID` when the key sets of {@link NEW_ISSUER_BUDGET}
 *   uncached issuers were fetched within the window; the download's own errors otherwise.
 */
export async function issuerKeys(
  fetchFn: typeof fetch,
  keysUrl: string,
  refresh: boolean,
): Promise<{ keys: JWTVerifyGetKey; fresh: boolean }> {
  const cache = cacheOf(fetchFn)
  const now = Date.now()
  const cached = cache.entries.get(keysUrl)
  const stale = !cached || now - cached.fetchedAt > MAX_AGE_MS
  const mayRefresh =
    refresh && cached !== undefined && now - cached.fetchedAt >= REFETCH_COOLDOWN_MS
  if (cached && !stale && !mayRefresh) {
    cache.entries.delete(keysUrl)
    cache.entries.set(keysUrl, cached)
    return { keys: cached.keys, fresh: false }
  }
  let pending = cache.pending.get(keysUrl)
  if (!pending) {
    if (!cached) {
      cache.downloads = cache.downloads.filter((t) => now - t < NEW_ISSUER_WINDOW_MS)
      if (cache.downloads.length >= NEW_ISSUER_BUDGET) {
        throw new SfAuthError(
          `id_token rejected: the keys of ${NEW_ISSUER_BUDGET} new issuers were fetched in the last minute; those of ${new URL(keysUrl).origin} are not fetched now (pass { issuer } to name the expected ones)`,
          { errorCode: 'ERR_ID_TOKEN_INVALID' },
        )
      }
      cache.downloads.push(now)
    }
    pending = download(cache.http, keysUrl)
      .then((jwks) => {
        const entry = { keys: createLocalJWKSet(jwks), fetchedAt: Date.now() }
        cache.entries.delete(keysUrl)
        cache.entries.set(keysUrl, entry)
        if (cache.entries.size > MAX_ISSUERS) {
          cache.entries.delete(cache.entries.keys().next().value as string)
        }
        return entry
      })
      .finally(() => cache.pending.delete(keysUrl))
    cache.pending.set(keysUrl, pending)
  }
  return { keys: (await pending).keys, fresh: true }
}
