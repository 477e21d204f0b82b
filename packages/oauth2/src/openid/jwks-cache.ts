import { SfAuthError } from '@sfauth/core/flow'
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

interface Entry {
  keys: JWTVerifyGetKey
  fetchedAt: number
}

interface IssuerCache {
  entries: Map<string, Entry>
  pending: Map<string, Promise<Entry>>
}

// One cache per fetch function: the global fetch shares keys across calls, and a custom fetch
// (a test's, a proxy's) never sees keys another one fetched.
const caches = new WeakMap<typeof fetch, IssuerCache>()

function cacheOf(fetchFn: typeof fetch): IssuerCache {
  let cache = caches.get(fetchFn)
  if (!cache) {
    cache = { entries: new Map(), pending: new Map() }
    caches.set(fetchFn, cache)
  }
  return cache
}

async function download(fetchFn: typeof fetch, jwksUrl: string): Promise<JSONWebKeySet> {
  let res: Response
  try {
    // No redirect is followed: the keys must come from the issuer's own /id/keys.
    res = await fetchFn(jwksUrl, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (cause) {
    throw new SfAuthError(`Could not fetch the id_token keys from ${jwksUrl}`, {
      errorCode: 'ERR_NETWORK',
      cause,
    })
  }
  if (res.status !== 200) {
    // Not awaited: some fetch implementations (msw's interceptor among them) never settle it.
    res.body?.cancel().catch(() => undefined)
    throw new SfAuthError(
      `Could not fetch the id_token keys from ${jwksUrl}: HTTP ${res.status || 'redirect'}`,
      { errorCode: 'ERR_HTTP', status: res.status },
    )
  }
  let body: unknown
  try {
    body = await res.json()
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
 * The key set of `issuer` (from `${issuer}/id/keys`), cached; `refresh` asks for a new download
 * when the cached one has no matching key and the cooldown has passed.
 * @returns the keys, and whether they were downloaded by this call.
 */
export async function issuerKeys(
  fetchFn: typeof fetch,
  issuer: string,
  refresh: boolean,
): Promise<{ keys: JWTVerifyGetKey; fresh: boolean }> {
  const cache = cacheOf(fetchFn)
  const now = Date.now()
  const cached = cache.entries.get(issuer)
  const stale = !cached || now - cached.fetchedAt > MAX_AGE_MS
  const mayRefresh =
    refresh && cached !== undefined && now - cached.fetchedAt >= REFETCH_COOLDOWN_MS
  if (cached && !stale && !mayRefresh) {
    cache.entries.delete(issuer)
    cache.entries.set(issuer, cached)
    return { keys: cached.keys, fresh: false }
  }
  let pending = cache.pending.get(issuer)
  if (!pending) {
    pending = download(fetchFn, `${issuer}/id/keys`)
      .then((jwks) => {
        const entry = { keys: createLocalJWKSet(jwks), fetchedAt: Date.now() }
        cache.entries.delete(issuer)
        cache.entries.set(issuer, entry)
        if (cache.entries.size > MAX_ISSUERS) {
          cache.entries.delete(cache.entries.keys().next().value as string)
        }
        return entry
      })
      .finally(() => cache.pending.delete(issuer))
    cache.pending.set(issuer, pending)
  }
  return { keys: (await pending).keys, fresh: true }
}
