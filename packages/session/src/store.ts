import { type Session, SfAuthError, safeCause } from '@sfauth/core/flow'
import { fromStored, type ReadResult, toStored } from './stored-session.js'

// This package's own error code, added to core's registry (no edit of core needed).
declare module '@sfauth/core/flow' {
  interface SfAuthErrorCodes {
    /** `@sfauth/session`: the session store failed to read or write. */
    ERR_STORE: true
  }
}

/**
 * Where sessions are kept: anything with `getItem`, `setItem` and `removeItem`, sync or async.
 * An unstorage `Storage` fits as it is, so every unstorage driver (memory, file system, Redis,
 * Cloudflare KV, Vercel KV, localStorage, ...) works without code of ours. `getItem` may give
 * back the object or its JSON text, and `null` or `undefined` for nothing saved.
 *
 * @see https://unstorage.unjs.io/guide
 * @example
 * ```ts
 * import { createStorage } from 'unstorage'
 * import redisDriver from 'unstorage/drivers/redis'
 *
 * session({ store: createStorage({ driver: redisDriver({ base: 'sfauth' }) }) })
 * ```
 */
export interface SessionStore {
  /** Reads the value saved under `key` (an object, its JSON text, or nothing), sync or async. */
  getItem(key: string): unknown
  /** Saves the session under `key`, replacing what was there; sync or async. */
  setItem(key: string, value: StoredSession): unknown
  /** Deletes what is saved under `key` (after logout); sync or async. */
  removeItem(key: string): unknown
}

/**
 * The saved form of a session: JSON-safe and versioned, so a later format can tell it apart.
 * It holds tokens, the instance URL and who the session belongs to; never a password, client
 * secret or private key (a session has none to give).
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 * @example
 * ```ts
 * const saved = (await store.getItem('sfauth:session')) as StoredSession | null
 * if (saved?.v === 1) console.log(saved.instanceUrl, saved.userInfo?.id)
 * ```
 */
export interface StoredSession {
  /** Format version. */
  v: 1
  accessToken: string
  instanceUrl: string
  refreshToken?: string
  userInfo?: { id: string; organizationId: string; url: string }
  kind: 'oauth2' | 'soap'
  issuedAt?: number
}

/**
 * Runs one store call and turns its failure into an {@link SfAuthError} `ERR_STORE`. Tokens are
 * scrubbed from the store's message in case a driver quotes the value it failed to write, and
 * the cause keeps only the driver error's name, message and code.
 */
export async function storeCall<T>(
  what: string,
  call: () => T | Promise<T>,
  secrets: readonly (string | undefined)[] = [],
): Promise<T> {
  try {
    return await call()
  } catch (cause) {
    // Only a scrubbed copy of the driver's error is kept: a Redis client's error carries the
    // command it sent (a SET's arguments are the session, tokens and all).
    const safe = safeCause(cause, secrets) ?? new Error(String(cause))
    throw new SfAuthError(`Session store: could not ${what}: ${safe.message}`, {
      errorCode: 'ERR_STORE',
      cause: safe,
    })
  }
}

/** The first pause between the tries of {@link confirmSave} (it doubles). */
const SAVE_PAUSE_MS = 50

/** A pause; `unref`: one that never keeps a Node process alive on its own. */
export function pause(ms: number, unref?: boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms) as { unref?(): void }
    if (unref) timer.unref?.()
  })
}

/** Saves `session` under `key`; its tokens are scrubbed from a failure's message. */
export function saveSession(store: SessionStore, key: string, session: Session): Promise<unknown> {
  const stored = toStored(session)
  return storeCall(`save ${key}`, () => store.setItem(key, stored), [
    session.accessToken,
    session.refreshToken,
  ])
}

/** Reads what `key` holds, as a {@link ReadResult}. */
export async function readSession(store: SessionStore, key: string): Promise<ReadResult> {
  return fromStored(await storeCall(`read ${key}`, () => store.getItem(key)))
}

/** Removes what `key` holds. */
export function removeSession(store: SessionStore, key: string): Promise<unknown> {
  return storeCall(`remove ${key}`, () => store.removeItem(key))
}

/**
 * Saves `session` and confirms it by reading the store back, up to `attempts` times with a
 * short, doubling pause. @returns `true` once confirmed, else the last error (if any); never rejects.
 */
export async function confirmSave(
  store: SessionStore,
  key: string,
  session: Session,
  attempts: number,
): Promise<unknown> {
  let last: unknown
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt) await pause(SAVE_PAUSE_MS * 2 ** (attempt - 1))
    try {
      await saveSession(store, key, session)
      const read = await readSession(store, key)
      if (read.status === 'session' && read.session.accessToken === session.accessToken) return true
    } catch (err) {
      last = err
    }
  }
  return last
}
