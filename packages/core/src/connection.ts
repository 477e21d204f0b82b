// The Connection is a facade: each concern lives in its own module under ./connection/, and this
// class wires them together and keeps jsforce's public names.
//   options.ts       option checks and defaults
//   dispatch.ts      which registered flow logs in, authorizes, renews, logs out (+ ERR_NO_FLOW hints)
//   request-url.ts   where request() may send the session (the origin rule)
//   session-state.ts the session held, the flow that made it, redaction for toJSON/inspect
//   store-sync.ts    restore on first use, persist after each change, adopt a newer saved session
//   renewal.ts       one renewal for all callers (adopt or renew, under the lock) and retry once
//   listeners.ts     the 'refresh' and 'error' listeners
//   fetch.ts         conn.fetch(): the Web fetch with the session (origin rule, redirects, expiry)
// ARCHITECTURE.md at the repository root follows one request() through an expiry, file by file.
import { type Callback, withCallback } from './callback.js'
import {
  byOrigin,
  cannotRenew,
  grantFlow,
  grantParams,
  isFlow,
  loginFlow,
  startLogout,
} from './connection/dispatch.js'
import { expiredResponse, isExpiredFetch, prepareFetch } from './connection/fetch.js'
import { type ConnectionEvents, Listeners } from './connection/listeners.js'
import { type ConnectionOptions, checkOptions, type OAuth2Flow } from './connection/options.js'
import { RENEWAL_DEADLINE, Renewal, settleWithin } from './connection/renewal.js'
import { type RequestTarget, resolveRequestUrl } from './connection/request-url.js'
import { SessionState, safeView } from './connection/session-state.js'
import { StoreSync } from './connection/store-sync.js'
import { SfAuthError } from './errors.js'
import type { Flow, FlowContext, FlowResult, GrantParams } from './flow-types.js'
import { errorFromResponse } from './parse-error.js'
import { createHttp, createRestHttp, type Http, parseJsonBody } from './transport.js'
import type { ClientInfo, UserInfo } from './types.js'

export type { ConnectionEvents } from './connection/listeners.js'
export {
  type ConnectionOptions,
  DEFAULT_LOGIN_URL,
  DEFAULT_VERSION,
  type OAuth2Flow,
} from './connection/options.js'

/** Options of {@link Connection.request}. */
export interface RequestOptions {
  method?: string
  headers?: Record<string, string>
  /** A string is sent as it is; anything else as JSON. */
  body?: unknown
  signal?: AbortSignal
}

/**
 * A connection to one Salesforce org: it holds the session and dispatches login, authorize,
 * renewal and logout to the flows registered on it.
 *
 * @example
 * ```ts
 * const conn = new Connection({ loginUrl, flows: [soapLogin()] })
 * const userInfo = await conn.login(username, password)
 * const result = await conn.request('query?q=SELECT+Id+FROM+Account')
 * ```
 * @see https://jsforce.github.io/document/#connection
 */
export class Connection<
  O extends OAuth2Flow | ClientInfo | undefined = OAuth2Flow | ClientInfo | undefined,
> {
  /** The login URL, without a trailing slash. */
  readonly loginUrl: string
  /** API version used for REST paths and SOAP calls. */
  readonly version: string
  /** The `oauth2` option as given: an `OAuth2` instance, client information, or `undefined`. */
  readonly oauth2: O

  // Only the session state is made with the connection; the rest on first use (most
  // connections in a pool never renew, never listen and never call fetch()).
  readonly #flows: Flow[] = []
  /** The `fetch` option (the global `fetch` at call time when not given). */
  readonly #fetchOption: typeof fetch | undefined
  readonly #timeout: number | undefined
  /** The session, the flow that made it and how that login renews it. */
  readonly #state: SessionState
  /** The flows' transport (`FlowContext.http`, userinfo), through ofetch. */
  #httpMade: Http | undefined
  /** The transport of `request()`: the same checks, the runtime's `fetch` called straight. */
  #restHttpMade: Http | undefined
  /** Restore on first use, persist after each change, adopt what another process saved. */
  #storeMade: StoreSync | undefined
  /** One renewal for all callers: adopt a newer saved session, or renew through a flow. */
  #renewalMade: Renewal | undefined
  #listenersMade: Listeners | undefined
  #fetchMade: ((input: RequestInfo | URL, init?: RequestInit) => Promise<Response>) | undefined

  constructor(options: ConnectionOptions<O> = {}) {
    const checked = checkOptions(options)
    this.oauth2 = options.oauth2 as O
    this.loginUrl = checked.loginUrl
    this.version = checked.version
    this.#fetchOption = options.fetch
    this.#timeout = checked.timeout
    this.#state = new SessionState(checked.initial)
    if (isFlow(checked.oauth2)) this.use(checked.oauth2)
    for (const flow of options.flows ?? []) this.use(flow)
  }

  /** The session's access token (also its SOAP session ID). */
  get accessToken(): string | undefined {
    return this.#state.fields.accessToken
  }
  /** SOAP-style name of {@link Connection.accessToken}. */
  get sessionId(): string | undefined {
    return this.#state.fields.accessToken
  }
  /** The session's refresh token, when the flow that made it issued one (never shown by `toJSON()`). */
  get refreshToken(): string | undefined {
    return this.#state.fields.refreshToken
  }
  /** The org's instance URL (origin only), e.g. `https://acme.my.salesforce.com`. */
  get instanceUrl(): string | undefined {
    return this.#state.fields.instanceUrl
  }
  /** Who the session belongs to. */
  get userInfo(): UserInfo | undefined {
    return this.#state.fields.userInfo
  }
  /** The registered flows, in the order they are asked. */
  get flows(): readonly Flow[] {
    return [...this.#flows]
  }

  /**
   * Registers a flow after construction.
   * @param flow a flow value: `soapLogin()`, `jwtBearer({...})`, `new OAuth2({...})`, `session()`, ...
   * @returns this connection, for chaining.
   * @throws {TypeError} when `flow` is not a flow.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flows.htm
   * @example
   * ```ts
   * const conn = new Connection({ loginUrl }).use(jwtBearer({ clientId, username, privateKey }))
   * ```
   */
  use(flow: Flow): this {
    if (!isFlow(flow)) {
      throw new TypeError(
        'use() takes a flow such as soapLogin(), jwtBearer({...}) or new OAuth2({...})',
      )
    }
    if (!this.#flows.includes(flow)) this.#flows.push(flow)
    return this
  }

  /**
   * Logs in with a username and password through the first registered flow that can
   * (`OAuth2`'s password grant or `soapLogin()`).
   * @param username the Salesforce username.
   * @param password the password, followed by the security token when the org asks for one.
   * @param callback optional Node-style `(err, userInfo)` callback.
   * @returns who logged in.
   * @example
   * ```ts
   * const conn = new Connection({ loginUrl, flows: [soapLogin()] })
   * const { id, organizationId } = await conn.login(username, password + securityToken)
   * ```
   * @throws {SfAuthError} Salesforce's error (`INVALID_LOGIN`, `invalid_grant`, ...), or `ERR_NO_FLOW`.
   * @see https://jsforce.github.io/document/#username-and-password-login
   */
  login(username: string, password: string, callback?: Callback<UserInfo>): Promise<UserInfo> {
    return withCallback(
      (async () => {
        if (typeof username !== 'string' || username === '')
          throw new TypeError('username must be a non-empty string')
        if (typeof password !== 'string' || password === '')
          throw new TypeError('password must be a non-empty string')
        const flow = loginFlow(this.#flows)
        return this.#establish(flow, await flow.login(this.#ctx(), username, password))
      })(),
      callback,
    )
  }

  /**
   * Completes an OAuth grant: `authorize(code, params?)` for the authorization code grant, or
   * `authorize({ grant_type, ...params })` for the registered flow of that grant type.
   * @param code the authorization code from the callback URL.
   * @param params extra token request parameters, such as `{ code_verifier }` for PKCE; or, as
   *   the first argument, `{ grant_type, ...params }`.
   * @param callback optional Node-style `(err, userInfo)` callback.
   * @returns who logged in.
   * @example
   * ```ts
   * await new Connection({ oauth2 }).authorize(code, { code_verifier })
   * await new Connection({ flows: [jwtBearer({ clientId, username, privateKey })] })
   *   .authorize({ grant_type: JWT_BEARER_GRANT_TYPE })
   * ```
   * @throws {SfAuthError} Salesforce's error (`invalid_grant`, ...), or `ERR_NO_FLOW`.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flows.htm
   */
  authorize(
    code: string,
    params?: Record<string, string | undefined>,
    callback?: Callback<UserInfo>,
  ): Promise<UserInfo>
  authorize(code: string, callback: Callback<UserInfo>): Promise<UserInfo>
  authorize(params: GrantParams, callback?: Callback<UserInfo>): Promise<UserInfo>
  authorize(
    codeOrParams: string | GrantParams,
    paramsOrCallback?: Record<string, string | undefined> | Callback<UserInfo>,
    callback?: Callback<UserInfo>,
  ): Promise<UserInfo> {
    const cb = typeof paramsOrCallback === 'function' ? paramsOrCallback : callback
    const extra = typeof paramsOrCallback === 'function' ? undefined : paramsOrCallback
    return withCallback(
      (async () => {
        const params = grantParams(codeOrParams, extra)
        const flow = grantFlow(this.#flows, params.grant_type)
        return this.#establish(flow, await flow.authorize(this.#ctx(), params))
      })(),
      cb,
    )
  }

  /**
   * Invalidates the session on the server (SOAP logout for a SOAP session, token revocation for
   * an OAuth one, through the flow that made it or another registered flow) and clears it here.
   * @param callback optional Node-style `(err)` callback.
   * @returns a promise that resolves once the session is invalid on the server and cleared here.
   * @example
   * ```ts
   * await conn.logout()
   * conn.logout((err) => { if (err) console.error(err) })
   * ```
   * @throws {SfAuthError} `ERR_NO_FLOW` when no registered flow can log this session out.
   * @see https://jsforce.github.io/document/#logout
   */
  logout(callback?: Callback<void>): Promise<void> {
    return withCallback(
      (async () => {
        await this.#store().ready()
        const session = this.#state.session()
        if (!session) return this.#clear()
        await startLogout(byOrigin(this.#flows, this.#state.origin), this.#ctx(), session)
        await this.#clear()
      })(),
      callback,
    )
  }

  /**
   * An authenticated call to the instance, JSON parsed. Paths under `/services/` resolve against
   * the instance URL; other relative paths against `/services/data/v{version}/`. On a
   * `401 INVALID_SESSION_ID` the session is renewed once (shared by concurrent callers) and the
   * call retried once.
   * @param pathOrUrl `'query?q=…'`, `'/services/apexrest/…'`, or an absolute URL on the instance.
   * @param init `method`, `headers`, `body` (a string as it is, anything else as JSON) and `signal`.
   * @returns the parsed JSON body (the text for other content types).
   * @example
   * ```ts
   * const { records } = await conn.request<{ records: { Id: string }[] }>('query?q=SELECT+Id+FROM+Account')
   * ```
   * @throws {SfAuthError} Salesforce's REST error (`errorCode` of the first error), or transport errors.
   * @throws {TypeError} for an absolute URL on another origin (the token would leak).
   * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
   */
  request<T = unknown>(pathOrUrl: string, init: RequestOptions = {}): Promise<T> {
    return this.#authorized((token) => this.#rest<T>(pathOrUrl, init, token), init.signal)
  }

  /** One send of {@link Connection.request} with `token`. */
  async #rest<T>(pathOrUrl: string, init: RequestOptions, token: string): Promise<T> {
    const url = resolveRequestUrl(pathOrUrl, this.#target())
    const isText = typeof init.body === 'string' || init.body === undefined
    this.#restHttpMade ??= createRestHttp({ fetch: this.#fetchOption, timeout: this.#timeout })
    const res = await this.#restHttpMade.send({
      url,
      // The transport's default method is the same: GET without a body, POST with one.
      method: init.method,
      headers: { ...init.headers, Authorization: `Bearer ${token}` },
      ...(isText ? { body: init.body as string | undefined } : { json: init.body }),
      signal: init.signal,
      secrets: [token],
      // REST answers may be large; error bodies are still cut at the transport's cap.
      maxBytes: Number.POSITIVE_INFINITY,
    })
    if (res.status < 200 || res.status >= 300) {
      throw errorFromResponse(res, [token])
    }
    const type = res.headers.get('content-type') ?? ''
    if (type.includes('json') || type === '') return parseJsonBody<T>(res, url)
    return res.text as T
  }

  /**
   * The Web `fetch` with the session, for any HTTP client or data library that takes a `fetch`
   * (ofetch, ky, openapi-fetch, a GraphQL client) and for bodies that stream (bulk results,
   * files). It adds `Authorization: Bearer`, resolves a relative URL as {@link Connection.request}
   * does, and sends the token only to the instance or the login URL. On a `401 INVALID_SESSION_ID`
   * it renews once, shared with every other caller of this connection, and sends the call once
   * more, resolving the URL again against the renewed session: a relative path goes to the
   * instance the renewal returned, and an absolute URL on an instance the session left is refused
   * (`TypeError`), never sent the new token. Whether the session expired is read from the first
   * 4 KiB of a copy of the `401`/`403` body, for at most 2 seconds.
   *
   * Redirects: the runtime's `fetch` is always called with `redirect: 'manual'`, and the mode
   * asked for (`init.redirect`, else the `Request`'s, else `'follow'`) is applied here. `'follow'`
   * follows up to 5 redirects within the instance and the login URL; to any other origin the
   * `3xx` is returned as it is and the token stays here. `'manual'` returns the `3xx` unread.
   * `'error'` rejects with an {@link SfAuthError} `ERR_REDIRECT` (the Web `fetch` rejects with a
   * `TypeError`; this is the error every `@sfauth` call gives for a redirect refused).
   *
   * The `Response` is returned unread, whatever its status: a `404` or a second `401` is the
   * caller's to read. A body that is a `ReadableStream` is one-shot: it is not retried, and its
   * `401` is returned as it is. A `Request`'s body is read once into memory so that it can be
   * sent again; pass a `ReadableStream` as `init.body` to stream an upload instead. The
   * connection's `timeout` does not apply (a streamed body may take as long as it takes): pass
   * `init.signal`, e.g. `AbortSignal.timeout(30_000)`; an abort rejects with the signal's reason,
   * as `fetch` does. In a browser, a redirect on the instance comes back as an opaque redirect.
   *
   * Its arguments are `fetch`'s: `input` is a path (`'query?q=…'`, `'/services/apexrest/…'`), an
   * absolute URL on the instance, or a `Request`; `init` holds the `fetch` options (`headers`,
   * `body`, `method`, `signal` and `redirect` apply). It is bound to the connection, so it can be
   * handed to a library as it is.
   * @returns the `Response`, unread.
   * @example
   * ```ts
   * const res = await conn.fetch('jobs/query/750xx0000000001/results', { headers: { Accept: 'text/csv' } })
   * for await (const chunk of res.body!) output.write(chunk)
   * const api = ofetch.create({ fetch: conn.fetch }) // any library that takes a fetch
   * ```
   * @throws {TypeError} for an absolute URL on another origin (the token would leak).
   * @throws {SfAuthError} `ERR_NO_SESSION` when not logged in, `ERR_NETWORK` when there is no
   *   response, `ERR_INSECURE_URL` for `http://` that is not loopback, `ERR_REDIRECT` for a
   *   redirect when the mode is `'error'`, or the renewal's error when the session expired and
   *   renewing failed.
   * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
   */
  get fetch(): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
    // Bound on first read, then the same function every time.
    this.#fetchMade ??= async (input, init) => {
      // Waiting for a store or a renewal ends on the caller's signal, with its reason, as fetch does.
      const signal =
        init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined
      try {
        return await this.#fetchWith(input, init, signal)
      } catch (err) {
        if (signal?.aborted && SfAuthError.isInstance(err) && err.errorCode === 'ERR_ABORTED') {
          throw signal.reason
        }
        throw err
      }
    }
    return this.#fetchMade
  }

  async #fetchWith(
    input: RequestInfo | URL,
    init: RequestInit | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const token = await this.#token(signal)
    // The URL is resolved against the session of each send: a renewal may change the instance.
    const prepared = await prepareFetch(
      input,
      init,
      () => this.#target(),
      this.#fetchOption ?? ((i, o) => globalThis.fetch(i, o)),
    )
    // A one-shot body cannot be sent twice: its 401 goes back as it is.
    if (!prepared.replayable) return prepared.send(token)
    try {
      try {
        return await prepared.send(token)
      } catch (err) {
        return await prepared.send(
          await this.#renewal().retryToken(err, token, signal, isExpiredFetch),
        )
      }
    } catch (err) {
      // A second expiry, or one that no renewal changed: the response is the caller's, unread.
      const res = expiredResponse(err)
      if (res) return res
      throw err
    }
  }

  /**
   * Renews the session now through the flow that made it (or another registered flow that can),
   * shared with any renewal already under way, and fires `'refresh'` as every renewal does. For a
   * client that manages its own calls, such as jsforce's `refreshFn`.
   * @returns the new access token.
   * @example
   * ```ts
   * const jsforceConn = new jsforce.Connection({
   *   instanceUrl: conn.instanceUrl, accessToken: conn.accessToken,
   *   refreshFn: (_c, callback) => conn.renew().then((t) => callback(null, t), callback),
   * })
   * ```
   * @throws {SfAuthError} `ERR_NO_FLOW` with a hint when no registered flow can renew this
   *   session, or the flow's error (`invalid_grant`, ...).
   * @see https://jsforce.github.io/document/#access-token-with-refresh-token
   */
  async renew(): Promise<string> {
    await this.#store().ready()
    const asked = new SfAuthError('renew() was called', { errorCode: 'ERR_NO_FLOW' })
    await this.#renewal().run(asked)
    const token = this.#state.fields.accessToken
    if (!token) throw cannotRenew(asked)
    return token
  }

  /**
   * Asks Salesforce whose session this is (`/services/oauth2/userinfo`) and fills
   * {@link Connection.userInfo}.
   * @returns the userinfo claims.
   * @example
   * ```ts
   * const { preferred_username } = await conn.identity()
   * ```
   * @throws {SfAuthError} `Bad_OAuth_Token` (403) for a session Salesforce does not accept and
   *   the connection cannot renew.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_userinfo_endpoint.htm
   */
  identity(): Promise<Record<string, unknown>> {
    return this.#authorized((token) => this.#userinfo(token))
  }

  /** One call of {@link Connection.identity} with `token`. */
  async #userinfo(token: string): Promise<Record<string, unknown>> {
    const claims = await this.#http().json<Record<string, unknown>>({
      url: `${this.#state.fields.instanceUrl}/services/oauth2/userinfo`,
      headers: { Authorization: `Bearer ${token}` },
      secrets: [token],
    })
    if (typeof claims?.user_id !== 'string' || typeof claims.organization_id !== 'string') {
      throw new SfAuthError('The userinfo endpoint answered without user_id and organization_id', {
        errorCode: 'ERR_INVALID_RESPONSE',
      })
    }
    const url =
      typeof claims.sub === 'string' ? claims.sub : (this.#state.fields.userInfo?.url ?? '')
    this.#state.setUserInfo({ id: claims.user_id, organizationId: claims.organization_id, url })
    await this.#store().persist()
    return claims
  }

  /**
   * Listens for `'refresh'`: `(accessToken, res)` after every renewal; or for `'error'`:
   * `(err)` for a failure no call rejects with (a store that failed to save a renewed session,
   * a `'refresh'` listener that threw).
   * @param event `'refresh'` or `'error'`.
   * @param listener called with the new access token and the response that renewed it; or with
   *   the error.
   * @returns this connection, for chaining.
   * @throws never; a listener that throws fails no request and never crashes the process (a
   *   `'refresh'` listener's error goes to the `'error'` listeners).
   * @see https://jsforce.github.io/document/#access-token-with-refresh-token
   * @example
   * ```ts
   * conn.on('refresh', (accessToken, res) => save({ accessToken, refreshToken: res.refresh_token }))
   * conn.on('error', (err) => log.warn('session not saved', err))
   * ```
   */
  on<E extends keyof ConnectionEvents>(event: E, listener: ConnectionEvents[E]): this {
    this.#listeners().on(event, listener)
    return this
  }

  /**
   * Stops listening.
   * @param event `'refresh'` or `'error'`.
   * @param listener the listener given to {@link Connection.on}.
   * @returns this connection, for chaining.
   * @throws never.
   * @see https://jsforce.github.io/document/#access-token-with-refresh-token
   * @example
   * ```ts
   * conn.off('refresh', onRefresh)
   * ```
   */
  off<E extends keyof ConnectionEvents>(event: E, listener: ConnectionEvents[E]): this {
    this.#listenersMade?.off(event, listener)
    return this
  }

  /**
   * A view safe to log or serialise: no password, secret, refresh token or whole access token.
   * `util.inspect(conn)` shows the same.
   * @returns login URL, version, instance URL, the access token masked, user info, client ID and
   *   the registered flows' names.
   * @throws never.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flows.htm
   * @example
   * ```ts
   * console.log(JSON.stringify(conn)) // {"accessToken":"00DgK0…[redacted]","refreshToken":"[redacted]",…}
   * ```
   */
  toJSON(): Record<string, unknown> {
    return safeView({
      loginUrl: this.loginUrl,
      version: this.version,
      fields: this.#state.fields,
      client: this.oauth2 as OAuth2Flow | ClientInfo | undefined,
      flows: this.#flows,
    })
  }

  [Symbol.for('nodejs.util.inspect.custom')](): Record<string, unknown> {
    return this.toJSON()
  }

  #ctx(): FlowContext {
    const client: OAuth2Flow | ClientInfo | undefined = this.oauth2
    return {
      loginUrl: this.loginUrl,
      version: this.version,
      client: client && {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        redirectUri: client.redirectUri,
        loginUrl: client.loginUrl,
      },
      instanceUrl: this.#state.fields.instanceUrl,
      session: this.#state.session(),
      http: this.#http(),
    }
  }

  #target(): RequestTarget {
    return {
      instanceUrl: this.#state.fields.instanceUrl,
      loginUrl: this.loginUrl,
      version: this.version,
    }
  }

  async #establish(flow: Flow, result: FlowResult): Promise<UserInfo> {
    this.#state.establish(flow, result)
    await this.#store().persist()
    const userInfo = this.#state.fields.userInfo
    if (!userInfo) {
      throw new SfAuthError(`${flow.name} logged in but returned no user information`, {
        errorCode: 'ERR_INVALID_RESPONSE',
      })
    }
    return userInfo
  }

  async #clear(): Promise<void> {
    this.#state.clear()
    await this.#store().persist()
  }

  #http(): Http {
    this.#httpMade ??= createHttp({ fetch: this.#fetchOption, timeout: this.#timeout })
    return this.#httpMade
  }

  #store(): StoreSync {
    this.#storeMade ??= new StoreSync({
      flows: this.#flows,
      state: this.#state,
      ctx: () => this.#ctx(),
    })
    return this.#storeMade
  }

  #renewal(): Renewal {
    const store = this.#store()
    this.#renewalMade ??= new Renewal(
      store.host,
      store,
      () => this.#listeners(),
      Math.max(RENEWAL_DEADLINE, 3 * (this.#timeout ?? 0)),
    )
    return this.#renewalMade
  }

  #listeners(): Listeners {
    this.#listenersMade ??= new Listeners()
    return this.#listenersMade
  }

  /**
   * Runs `send` with the access token; on an expired session renews once (shared by concurrent
   * callers) and runs it once more. A second failure rejects: it never loops.
   */
  async #authorized<T>(send: (token: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
    // The warm path: once the store was read, the token held, unless the caller gave up.
    const token =
      (this.#storeMade?.restored && !signal?.aborted && this.#state.fields.accessToken) ||
      (await this.#token(signal))
    try {
      return await send(token)
    } catch (err) {
      return send(await this.#renewal().retryToken(err, token, signal))
    }
  }

  /** The access token to send: restored on first use, or renewed when there is only a refresh token. */
  async #token(signal?: AbortSignal): Promise<string> {
    // The caller's signal ends the wait for the store (shared by every caller), not the read.
    await settleWithin(this.#store().ready(), undefined, signal)
    let token = this.#state.fields.accessToken
    if (!token) {
      if (!this.#state.fields.refreshToken) {
        throw new SfAuthError(
          'Not logged in: call login() or authorize(), or pass accessToken and instanceUrl',
          { errorCode: 'ERR_NO_SESSION' },
        )
      }
      await this.#renewal().run(undefined, signal)
      token = this.#state.fields.accessToken
      if (!token) {
        throw new SfAuthError('The session ended during its renewal', {
          errorCode: 'ERR_NO_SESSION',
        })
      }
    }
    return token
  }
}
