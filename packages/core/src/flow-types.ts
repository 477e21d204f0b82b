import type { Http } from './transport.js'
import type { ClientInfo, Session } from './types.js'

/** What a connection lends a flow for one call. */
export interface FlowContext {
  /** The connection's login URL, without a trailing slash. */
  readonly loginUrl: string
  /** The connection's API version, such as `'64.0'`. */
  readonly version: string
  /** Client information from the `oauth2` option (plain object or `OAuth2` instance), if any. */
  readonly client: ClientInfo | undefined
  /** The instance URL the connection knows, even before it has a session. */
  readonly instanceUrl: string | undefined
  /** The current session, if any. Renewals read the refresh token from here, never from a copy. */
  readonly session: Session | undefined
  /** The connection's transport (its `fetch` and `timeout`). */
  readonly http: Http
}

/** The outcome of a login, an authorization or a renewal. */
export interface FlowResult {
  session: Session
  /**
   * What Salesforce answered (the token response, the SOAP login result). After a renewal it is
   * the `res` argument of the connection's `'refresh'` event.
   */
  response: unknown
  /**
   * Re-runs this very login when its session expires: the one way to renew a session that only
   * its own login can renew. A closure may hold credentials the session needs (a SOAP re-login's
   * password); it lives only in memory and is never serialised. Asked before any
   * {@link Flow.renewSession}. A flow that can renew any session of its kind implements
   * {@link Flow.renewSession} instead (or as well).
   */
  renewThis?: (ctx: FlowContext) => Promise<FlowResult>
}

/** Parameters of `conn.authorize({ grant_type, ... })`. */
export interface GrantParams {
  grant_type: string
  [param: string]: string | undefined
}

/**
 * The registration interface: a flow is a plain value (from a factory such as `jwtBearer()` or
 * an instance such as `new OAuth2()`) registered with `new Connection({ flows: [...] })` or
 * `conn.use(flow)`. Each member says one thing the flow can do; the connection asks registered
 * flows in order and uses the first that can. Core never imports a flow package.
 *
 * @example
 * ```ts
 * const myFlow: Flow = {
 *   name: 'my-flow',
 *   grantTypes: ['urn:example:grant'],
 *   authorize: async (ctx, params) => tokenResult(await callTokenEndpoint(ctx, params)),
 * }
 * new Connection({ flows: [myFlow] })
 * ```
 */
export interface Flow {
  /** The package (or a readable name) shown in errors and diagnostics, e.g. `'@sfauth/jwt'`. */
  readonly name: string
  /** Grant types this flow answers in `conn.authorize({ grant_type })`. */
  readonly grantTypes?: readonly string[]
  /** Username/password login: `conn.login(username, password)`. */
  login?(ctx: FlowContext, username: string, password: string): Promise<FlowResult>
  /** `conn.authorize(...)` for one of {@link Flow.grantTypes}. */
  authorize?(ctx: FlowContext, params: GrantParams): Promise<FlowResult>
  /**
   * Renews any session of this flow's kind, including one it did not make (passed in the
   * connection options or restored from a store): a refresh token, a new JWT, a new
   * client-credentials token. Returns `undefined`, synchronously, when it cannot. Asked after
   * the session's own {@link FlowResult.renewThis}, the flow that made the session first.
   */
  renewSession?(ctx: FlowContext, session: Session): Promise<FlowResult> | undefined
  /**
   * Invalidates `session` on the server. Resolve once the session is no longer valid there
   * (an already-invalid token counts). Returns `undefined`, synchronously, when it cannot.
   */
  logout?(ctx: FlowContext, session: Session): Promise<void> | undefined
  /** Gives a saved session to a connection on its first use. */
  restore?(ctx: FlowContext): Promise<Session | undefined>
  /** Called after every change of session (login, authorize, renewal) and with `undefined` after logout. */
  persist?(ctx: FlowContext, session: Session | undefined): Promise<void>
  /**
   * Makes a renewal exclusive across processes: runs `step` while holding a lock every process
   * sharing this flow's session holds too, and resolves to what `step` resolves to. `step` is the
   * connection's adopt-or-renew step: it re-reads the saved session ({@link Flow.restore}) and
   * adopts one newer than the expired one with no token call, or renews through the flow that
   * made the session and saves the result ({@link Flow.persist}) before it resolves, so the
   * next holder adopts it.
   *
   * Core calls it once per expiry and process (single flight stays in-process, outside), with the
   * first registered flow that has it; without any, `step` runs as it is. Core holds no lock of
   * its own: `session({ store, lock })` from `@sfauth/session` implements this member.
   *
   * Rules for an implementation: never run `step` without the lock (reject instead, with an
   * `SfAuthError`); release after `step` settles, either way; stop waiting when
   * `options.signal` aborts (it fires once every caller waiting on this renewal has given up).
   * @param ctx the connection's context (the current, expired session in `ctx.session`).
   * @param step the adopt-or-renew step to run exclusively.
   * @param options `signal`: abort the wait for the lock.
   * @returns what `step` resolved to.
   */
  coordinateRenewal?<T>(
    ctx: FlowContext,
    step: () => Promise<T>,
    options: RenewalCoordinationOptions,
  ): Promise<T>
}

/** What a connection passes to {@link Flow.coordinateRenewal}. */
export interface RenewalCoordinationOptions {
  /** Aborts once no caller waits for this renewal any more: stop waiting for the lock. */
  signal?: AbortSignal
}
