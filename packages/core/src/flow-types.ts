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
 *   authorize: async (ctx, params) => tokenResult(await requestToken(ctx, params)),
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
}
