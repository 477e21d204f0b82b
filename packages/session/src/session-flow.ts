import type { Flow, FlowContext, Session } from '@sfauth/core/flow'
import { logoutSession } from './logout.js'
import { type SessionStore, storeCall } from './store.js'
import { fromStored, toStored } from './stored-session.js'

/**
 * The key a session is saved under unless `key` says otherwise.
 *
 * @example
 * ```ts
 * await store.hasItem(DEFAULT_SESSION_KEY) // is there a saved session?
 * ```
 */
export const DEFAULT_SESSION_KEY = 'sfauth:session'

/** Options of {@link session}. */
export interface SessionOptions {
  /**
   * Where to keep the session between runs: anything with `getItem`, `setItem` and `removeItem`,
   * such as an unstorage `Storage`. Without it nothing is saved or restored.
   */
  store?: SessionStore
  /** The key in `store`; default {@link DEFAULT_SESSION_KEY}. One key per user or org. */
  key?: string
}

function checkOptions(options: SessionOptions): { store?: SessionStore; key: string } {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('session(options) takes { store?, key? }')
  }
  const { store, key = DEFAULT_SESSION_KEY } = options
  if (
    store !== undefined &&
    (typeof store !== 'object' ||
      store === null ||
      typeof store.getItem !== 'function' ||
      typeof store.setItem !== 'function' ||
      typeof store.removeItem !== 'function')
  ) {
    throw new TypeError(
      'session({ store }): store must have getItem, setItem and removeItem, e.g. createStorage() from unstorage',
    )
  }
  if (typeof key !== 'string' || key === '') {
    throw new TypeError('session({ key }): key must be a non-empty string')
  }
  return { ...(store ? { store } : {}), key }
}

function secretsOf(session: Session | undefined): (string | undefined)[] {
  return [session?.accessToken, session?.refreshToken]
}

async function restore(
  store: SessionStore,
  key: string,
  ctx: FlowContext,
): Promise<Session | undefined> {
  const value = await storeCall(`read ${key}`, () => store.getItem(key))
  const read = fromStored(value)
  if (read.status === 'invalid') {
    // Our key holds something unusable: clear it so it is not read again on every start.
    await storeCall(`remove ${key}`, () => store.removeItem(key))
    return undefined
  }
  if (read.status !== 'session') return undefined
  // A connection set up for one org must not pick up a session of another.
  if (ctx.instanceUrl !== undefined && ctx.instanceUrl !== read.session.instanceUrl) {
    return undefined
  }
  return read.session
}

async function persist(
  store: SessionStore,
  key: string,
  session: Session | undefined,
): Promise<void> {
  if (session) {
    const stored = toStored(session)
    await storeCall(`save ${key}`, () => store.setItem(key, stored), secretsOf(session))
  } else {
    await storeCall(`remove ${key}`, () => store.removeItem(key))
  }
}

/**
 * A flow for sessions made elsewhere (a session ID from a Visualforce page or custom link, a
 * saved access token): it logs them out on the server, and with a `store` it saves every new
 * session of the connection (after login, authorize and renewal, rotated refresh tokens
 * included), restores it on the connection's first use, and removes it on logout.
 *
 * It does not renew sessions: register a flow that can (`new OAuth2({...})` with a refresh
 * token, `jwtBearer()`, `clientCredentials()`, `soapLogin()`) alongside it.
 *
 * @param options `store` (an unstorage `Storage` or anything with `getItem`, `setItem`,
 *   `removeItem`) and `key` (default `'sfauth:session'`).
 * @returns a {@link Flow} to pass in `new Connection({ flows: [...] })` or `conn.use()`.
 * @throws {TypeError} when `store` lacks one of the three methods or `key` is empty.
 *   The flow's calls reject with `SfAuthError` `ERR_STORE` when the store fails, and with
 *   Salesforce's error when a logout fails for another reason than an already-dead session.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_logout.htm
 * @see https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_revoke_token.htm&type=5
 * @example
 * ```ts
 * import { Connection } from '@sfauth/core'
 * import { OAuth2 } from '@sfauth/oauth2'
 * import { session } from '@sfauth/session'
 * import { createStorage } from 'unstorage'
 * import fsDriver from 'unstorage/drivers/fs'
 *
 * const store = createStorage({ driver: fsDriver({ base: './.sfauth' }) })
 * const conn = new Connection({ oauth2: new OAuth2({ clientId }), flows: [session({ store })] })
 * await conn.request('limits') // the saved session, renewed through OAuth2 when it has expired
 * ```
 */
export function session(options: SessionOptions = {}): Flow {
  const { store, key } = checkOptions(options)
  const flow: Flow = {
    name: '@sfauth/session',
    logout: logoutSession,
  }
  if (!store) return flow
  return {
    ...flow,
    restore: (ctx) => restore(store, key, ctx),
    persist: (_ctx, current) => persist(store, key, current),
  }
}
