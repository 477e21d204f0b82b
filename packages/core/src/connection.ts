import { type Callback, withCallback } from './callback.js'
import { SfAuthError } from './errors.js'
import type { Flow, FlowContext, FlowResult, GrantParams } from './flow.js'
import { errorFromResponse } from './parse-error.js'
import { maskToken } from './redact.js'
import { createHttp, type Http, parseJsonBody } from './transport.js'
import type { ClientInfo, Session, TokenResponse, UserInfo } from './types.js'
import { baseUrl, originOf, secureUrl } from './url.js'

/** The default login URL (production). */
export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com'
/** The default API version. */
export const DEFAULT_VERSION = '64.0'

/** An `OAuth2` instance (from `@sfauth/oauth2`): a flow that also carries client information. */
export type OAuth2Flow = Flow & ClientInfo

/**
 * Options of {@link Connection}. The names are jsforce's.
 * @see https://jsforce.github.io/document/#connection
 */
export interface ConnectionOptions<
  O extends OAuth2Flow | ClientInfo | undefined = OAuth2Flow | ClientInfo | undefined,
> {
  /** Default `'https://login.salesforce.com'`; a sandbox (`https://test.salesforce.com`) or My Domain URL. */
  loginUrl?: string
  instanceUrl?: string
  accessToken?: string
  refreshToken?: string
  /** SOAP-style name of `instanceUrl`: a server URL such as `https://na1.salesforce.com/services/Soap/u/64.0/00D…`. */
  serverUrl?: string
  /** SOAP-style name of `accessToken`. */
  sessionId?: string
  /** API version such as `'64.0'`. */
  version?: string
  /** An `OAuth2` instance (registered as a flow), or client information any flow may read. */
  oauth2?: O
  /** Flows to register: `[soapLogin()]`, `[jwtBearer({...})]`, ... */
  flows?: Flow[]
  /** Transport override (tests, proxies, edge runtimes). */
  fetch?: typeof fetch
  /** Milliseconds per HTTP call. */
  timeout?: number
}

/** Options of {@link Connection.request}. */
export interface RequestOptions {
  method?: string
  headers?: Record<string, string>
  /** A string is sent as it is; anything else as JSON. */
  body?: unknown
  signal?: AbortSignal
}

/** Events a connection emits. */
export interface ConnectionEvents {
  /**
   * After every renewal: the new access token and the response that renewed it (a token
   * response, with the rotated `refresh_token` when there is one; the login result for SOAP).
   */
  refresh: (accessToken: string, res: Partial<TokenResponse>) => void
}

interface State {
  accessToken?: string
  instanceUrl?: string
  refreshToken?: string
  userInfo?: UserInfo
  kind?: Session['kind']
  issuedAt?: number
}

const KNOWN_GRANTS: Record<string, string> = {
  authorization_code: '@sfauth/oauth2 (new OAuth2({ clientId, ... }))',
  refresh_token: '@sfauth/oauth2 (new OAuth2({ clientId, ... }))',
  password: '@sfauth/oauth2 (new OAuth2({ clientId, ... }))',
  'urn:ietf:params:oauth:grant-type:jwt-bearer': '@sfauth/jwt (jwtBearer())',
  client_credentials: '@sfauth/client-credentials (clientCredentials())',
}

const RENEW_HINT =
  'register a flow that can renew it: new OAuth2({...}) with a refresh token, jwtBearer({ clientId, username, privateKey }), clientCredentials(), or log in with soapLogin()'

function isFlow(value: unknown): value is Flow {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.name === 'string' &&
    ['login', 'authorize', 'renew', 'logout', 'restore', 'persist'].some(
      (member) => typeof v[member] === 'function',
    )
  )
}

/** A 401 that a renewal can cure. Salesforce's "not valid for use with the REST API" 401 is not one. */
function isExpiredSession(err: unknown): err is SfAuthError {
  return (
    err instanceof SfAuthError &&
    ((err.status === 401 && err.errorCode === 'INVALID_SESSION_ID') ||
      (err.status === 403 && err.errorCode === 'Bad_OAuth_Token')) &&
    !/not valid for use with the REST API|not attached to Agent/i.test(err.message)
  )
}

function stateOf(session: Session): State {
  return { ...session }
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

  #flows: Flow[] = []
  #http: Http
  #state: State = {}
  /** The flow that made the current session; asked first to renew it and to log it out. */
  #origin: Flow | undefined
  #renewWith: FlowResult['renew']
  #renewing: Promise<void> | undefined
  #restoring: Promise<void> | undefined
  #listeners: { [E in keyof ConnectionEvents]: ConnectionEvents[E][] } = { refresh: [] }

  constructor(options: ConnectionOptions<O> = {}) {
    const oauth2: OAuth2Flow | ClientInfo | undefined = options.oauth2
    if (
      oauth2 !== undefined &&
      (typeof oauth2 !== 'object' || typeof oauth2.clientId !== 'string')
    ) {
      throw new TypeError('oauth2 must be an OAuth2 instance or { clientId, clientSecret?, ... }')
    }
    this.oauth2 = options.oauth2 as O
    this.loginUrl = baseUrl(options.loginUrl ?? oauth2?.loginUrl ?? DEFAULT_LOGIN_URL, 'loginUrl')
    this.version = options.version ?? DEFAULT_VERSION
    if (!/^\d+\.\d$/.test(this.version)) {
      throw new TypeError(`version must look like '64.0', got ${JSON.stringify(this.version)}`)
    }
    if (options.timeout !== undefined && !(options.timeout > 0)) {
      throw new TypeError('timeout must be a positive number of milliseconds')
    }
    this.#http = createHttp({ fetch: options.fetch, timeout: options.timeout })

    const instance = options.instanceUrl ?? options.serverUrl
    const accessToken = options.accessToken ?? options.sessionId
    if (accessToken !== undefined && instance === undefined) {
      throw new TypeError(
        'accessToken / sessionId needs instanceUrl / serverUrl to know where to use it',
      )
    }
    this.#state = {
      ...(instance === undefined
        ? {}
        : { instanceUrl: originOf(instance, options.instanceUrl ? 'instanceUrl' : 'serverUrl') }),
      ...(accessToken === undefined ? {} : { accessToken }),
      ...(options.refreshToken === undefined ? {} : { refreshToken: options.refreshToken }),
      ...(accessToken === undefined
        ? {}
        : { kind: options.accessToken === undefined ? 'soap' : 'oauth2' }),
    }
    if (isFlow(oauth2)) this.use(oauth2)
    for (const flow of options.flows ?? []) this.use(flow)
  }

  /** The session's access token (also its SOAP session ID). */
  get accessToken(): string | undefined {
    return this.#state.accessToken
  }
  /** SOAP-style name of {@link Connection.accessToken}. */
  get sessionId(): string | undefined {
    return this.#state.accessToken
  }
  /** The session's refresh token, when the flow that made it issued one (never shown by `toJSON()`). */
  get refreshToken(): string | undefined {
    return this.#state.refreshToken
  }
  /** The org's instance URL (origin only), e.g. `https://acme.my.salesforce.com`. */
  get instanceUrl(): string | undefined {
    return this.#state.instanceUrl
  }
  /** Who the session belongs to. */
  get userInfo(): UserInfo | undefined {
    return this.#state.userInfo
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
        const flow = this.#flows.find((f) => f.login)
        if (!flow?.login) {
          throw new SfAuthError(
            'No registered flow logs in with a username and password: register soapLogin() from @sfauth/soap-login or new OAuth2({...}) from @sfauth/oauth2',
            { errorCode: 'ERR_NO_FLOW' },
          )
        }
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
        let params: GrantParams
        if (typeof codeOrParams === 'string') {
          if (codeOrParams === '')
            throw new TypeError('authorize(code): code must be a non-empty string')
          params = { ...extra, grant_type: 'authorization_code', code: codeOrParams }
        } else if (codeOrParams && typeof codeOrParams.grant_type === 'string') {
          params = codeOrParams
        } else {
          throw new TypeError(
            'authorize() takes an authorization code or { grant_type, ...params }',
          )
        }
        const flow = this.#flows.find(
          (f) => f.authorize && f.grantTypes?.includes(params.grant_type),
        )
        if (!flow?.authorize) {
          const hint = KNOWN_GRANTS[params.grant_type]
          throw new SfAuthError(
            `No registered flow handles grant_type ${params.grant_type}${hint ? `: register ${hint}` : ''}`,
            { errorCode: 'ERR_NO_FLOW' },
          )
        }
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
        await this.#ready()
        const session = this.#session()
        if (!session) return this.#clear()
        const ctx = this.#ctx()
        let pending: Promise<void> | undefined
        for (const flow of this.#byOrigin()) {
          pending = flow.logout?.(ctx, session)
          if (pending) break
        }
        if (!pending) {
          throw new SfAuthError(
            'No registered flow can log this session out: register session() from @sfauth/session, or the flow package that made the session',
            { errorCode: 'ERR_NO_FLOW' },
          )
        }
        await pending
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
    return this.#authorized(async (token) => {
      const url = this.#resolve(pathOrUrl)
      const isText = typeof init.body === 'string' || init.body === undefined
      const res = await this.#http.send({
        url,
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { ...init.headers, Authorization: `Bearer ${token}` },
        ...(isText ? { body: init.body as string | undefined } : { json: init.body }),
        ...(init.signal ? { signal: init.signal } : {}),
        secrets: [token],
      })
      if (res.status < 200 || res.status >= 300) {
        throw errorFromResponse(res, [token])
      }
      const type = res.headers.get('content-type') ?? ''
      if (type.includes('json') || type === '') return parseJsonBody<T>(res, url)
      return res.text as T
    })
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
    return this.#authorized(async (token) => {
      const claims = await this.#http.json<Record<string, unknown>>({
        url: `${this.#state.instanceUrl}/services/oauth2/userinfo`,
        headers: { Authorization: `Bearer ${token}` },
        secrets: [token],
      })
      if (typeof claims?.user_id !== 'string' || typeof claims.organization_id !== 'string') {
        throw new SfAuthError(
          'The userinfo endpoint answered without user_id and organization_id',
          {
            errorCode: 'ERR_INVALID_RESPONSE',
          },
        )
      }
      const url = typeof claims.sub === 'string' ? claims.sub : (this.#state.userInfo?.url ?? '')
      this.#state.userInfo = { id: claims.user_id, organizationId: claims.organization_id, url }
      await this.#persist()
      return claims
    })
  }

  /**
   * Listens for `'refresh'`: `(accessToken, res)` after every renewal.
   * @param event `'refresh'`.
   * @param listener called with the new access token and the response that renewed it.
   * @returns this connection, for chaining.
   * @throws never; a listener that throws does not fail the request that renewed.
   * @see https://jsforce.github.io/document/#access-token-with-refresh-token
   * @example
   * ```ts
   * conn.on('refresh', (accessToken, res) => save({ accessToken, refreshToken: res.refresh_token }))
   * ```
   */
  on<E extends keyof ConnectionEvents>(event: E, listener: ConnectionEvents[E]): this {
    this.#listeners[event].push(listener)
    return this
  }

  /**
   * Stops listening.
   * @param event `'refresh'`.
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
    this.#listeners[event] = this.#listeners[event].filter((l) => l !== listener)
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
    const client: OAuth2Flow | ClientInfo | undefined = this.oauth2
    return {
      loginUrl: this.loginUrl,
      version: this.version,
      instanceUrl: this.#state.instanceUrl,
      accessToken: maskToken(this.#state.accessToken),
      refreshToken: this.#state.refreshToken ? '[redacted]' : undefined,
      userInfo: this.#state.userInfo,
      oauth2: client && {
        clientId: client.clientId,
        redirectUri: client.redirectUri,
        loginUrl: client.loginUrl,
        clientSecret: client.clientSecret ? '[redacted]' : undefined,
      },
      flows: this.#flows.map((f) => f.name),
    }
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
      instanceUrl: this.#state.instanceUrl,
      session: this.#session(),
      http: this.#http,
    }
  }

  #session(): Session | undefined {
    const { accessToken, instanceUrl, kind } = this.#state
    if (!accessToken || !instanceUrl) return undefined
    return { ...this.#state, accessToken, instanceUrl, kind: kind ?? 'oauth2' } as Session
  }

  /** The origin flow first, then the rest in registration order. */
  #byOrigin(): Flow[] {
    const origin = this.#origin
    return origin ? [origin, ...this.#flows.filter((f) => f !== origin)] : this.#flows
  }

  async #establish(flow: Flow, result: FlowResult): Promise<UserInfo> {
    this.#origin = flow
    this.#renewWith = result.renew
    this.#state = stateOf(result.session)
    await this.#persist()
    const userInfo = this.#state.userInfo
    if (!userInfo) {
      throw new SfAuthError(`${flow.name} logged in but returned no user information`, {
        errorCode: 'ERR_INVALID_RESPONSE',
      })
    }
    return userInfo
  }

  async #persist(): Promise<void> {
    const ctx = this.#ctx()
    for (const flow of this.#flows) await flow.persist?.(ctx, ctx.session)
  }

  async #clear(): Promise<void> {
    this.#state = {}
    this.#origin = undefined
    this.#renewWith = undefined
    await this.#persist()
  }

  #ready(): Promise<void> {
    this.#restoring ??= this.#restore().catch((err: unknown) => {
      this.#restoring = undefined
      throw err
    })
    return this.#restoring
  }

  async #restore(): Promise<void> {
    if (!this.#state.accessToken) await this.#adoptSaved(undefined)
  }

  /**
   * Adopts the first saved session (from a flow's `restore`) whose token is not `current`.
   * Used on first use, and before a renewal: another process sharing the store may already
   * have renewed and rotated the refresh token, and renewing with the stale one would be a
   * replay, which makes Salesforce revoke the whole token family.
   * @returns whether a saved session was adopted.
   */
  async #adoptSaved(current: string | undefined): Promise<boolean> {
    const ctx = this.#ctx()
    for (const flow of this.#flows) {
      const saved = await flow.restore?.(ctx)
      // A login or renewal that finished while the store answered wins over the saved session.
      if (this.#state.accessToken !== current) return false
      if (saved && saved.accessToken !== current) {
        this.#state = stateOf(saved)
        return true
      }
    }
    return false
  }

  #resolve(pathOrUrl: string): string {
    const instance = this.#state.instanceUrl
    if (!instance)
      throw new SfAuthError('The connection has no instance URL', { errorCode: 'ERR_NO_SESSION' })
    if (/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) {
      const url = secureUrl(pathOrUrl, 'request URL')
      const allowed = [instance, new URL(this.loginUrl).origin]
      if (!allowed.includes(url.origin)) {
        throw new TypeError(
          `request() sends the session only to the instance (${instance}) or the login URL, not to ${url.origin}`,
        )
      }
      return url.href
    }
    if (pathOrUrl.startsWith('/services/') || pathOrUrl === '/services') return instance + pathOrUrl
    return `${instance}/services/data/v${this.version}/${pathOrUrl.replace(/^\/+/, '')}`
  }

  /**
   * Runs `send` with the current access token; on an expired session renews once (shared by
   * concurrent callers) and runs it once more. A second failure rejects: it never loops.
   */
  async #authorized<T>(send: (accessToken: string) => Promise<T>): Promise<T> {
    await this.#ready()
    let token = this.#state.accessToken
    if (!token) {
      if (!this.#state.refreshToken) {
        throw new SfAuthError(
          'Not logged in: call login() or authorize(), or pass accessToken and instanceUrl',
          {
            errorCode: 'ERR_NO_SESSION',
          },
        )
      }
      await this.#renew(undefined)
      token = this.#state.accessToken as string
    }
    try {
      return await send(token)
    } catch (err) {
      if (!isExpiredSession(err)) throw err
      // Another caller may already have renewed while this one was in flight.
      if (this.#state.accessToken === token) await this.#renew(err)
      const renewed = this.#state.accessToken
      if (!renewed) throw err
      return send(renewed)
    }
  }

  #renew(cause: SfAuthError | undefined): Promise<void> {
    this.#renewing ??= this.#runRenewal(cause).finally(() => {
      this.#renewing = undefined
    })
    return this.#renewing
  }

  async #runRenewal(cause: SfAuthError | undefined): Promise<void> {
    if (await this.#adoptSaved(this.#state.accessToken)) return
    const ctx = this.#ctx()
    const session: Session = ctx.session ?? {
      accessToken: '',
      instanceUrl: this.#state.instanceUrl ?? '',
      refreshToken: this.#state.refreshToken,
      kind: 'oauth2',
    }
    let pending = this.#renewWith?.(ctx)
    for (const flow of this.#byOrigin()) {
      if (pending) break
      pending = flow.renew?.(ctx, session)
    }
    if (!pending) {
      const what = cause ? `${cause.message}. ` : 'The connection has no access token. '
      throw new SfAuthError(`${what}This connection cannot renew the session: ${RENEW_HINT}`, {
        errorCode: cause?.errorCode ?? 'INVALID_SESSION_ID',
        status: cause?.status ?? 401,
        ...(cause ? { cause } : {}),
      })
    }
    const result = await pending
    if (result.renew) this.#renewWith = result.renew
    this.#state = stateOf(result.session)
    await this.#persist()
    for (const listener of this.#listeners.refresh) {
      try {
        listener(result.session.accessToken, result.response as Partial<TokenResponse>)
      } catch (err) {
        // A listener's bug must not fail the request that triggered the renewal; surface it apart.
        setTimeout(() => {
          throw err
        })
      }
    }
  }
}
