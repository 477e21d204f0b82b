import {
  baseUrl,
  type Callback,
  carriesCredentials,
  createHttp,
  DEFAULT_LOGIN_URL,
  type Flow,
  type FlowContext,
  type FlowResult,
  type GrantParams,
  type Http,
  oauthEndpoints,
  revokeSession,
  type Session,
  secureUrl,
  type TokenResponse,
  tokenResult,
  withCallback,
} from '@sfauth/core/flow'
import { authorizationUrl } from './authorization-url.js'
import { randomBase64url } from './base64url.js'
import {
  authorizationCodeGrant,
  nonEmpty,
  type OAuthClient,
  passwordGrant,
  refreshedSession,
  refreshTokenGrant,
  revoke,
  type Transport,
} from './grants.js'
import { codeChallengeS256, createCodeVerifier } from './pkce.js'
import type {
  AuthorizationRequest,
  AuthorizationUrlParams,
  OAuth2Options,
  TokenRequestParams,
} from './types.js'

/** 24 random bytes: a 32-character `state` nobody can guess. */
const STATE_BYTES = 24

function endpoint(value: string | undefined, what: string): string | undefined {
  return value === undefined ? undefined : secureUrl(nonEmpty(value, what), what).href
}

/** The grants an `OAuth2` answers in `conn.authorize({ grant_type })`, shared by every instance. */
const GRANT_TYPES: readonly string[] = /* @__PURE__ */ Object.freeze([
  'authorization_code',
  'refresh_token',
  'password',
])

/**
 * A Salesforce connected app as an OAuth 2.0 client: the web server flow with PKCE, refresh with
 * refresh-token rotation, the username-password grant and token revocation.
 *
 * An instance is also a flow: `new Connection({ oauth2 })` registers it, so `conn.authorize(code)`
 * runs the authorization code grant, `conn.login(username, password + token)` the password grant,
 * an expired session is renewed with the refresh token, and `conn.logout()` revokes it.
 *
 * The client secret never appears in `JSON.stringify(oauth2)` or `util.inspect(oauth2)`.
 *
 * @example
 * ```ts
 * const oauth2 = new OAuth2({ clientId, clientSecret, redirectUri })
 * const { url, state, codeVerifier } = await oauth2.createAuthorizationRequest({ scope: 'api id web refresh_token' })
 * // ... redirect to url; in the callback:
 * const conn = new Connection({ oauth2 })
 * const userInfo = await conn.authorize(code, { code_verifier: codeVerifier })
 * ```
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export class OAuth2 implements Flow {
  /** The package name, shown in the connection's errors. */
  readonly name = '@sfauth/oauth2'
  /** The grants `conn.authorize({ grant_type })` sends here. */
  readonly grantTypes: readonly string[] = GRANT_TYPES
  /** Consumer key. */
  readonly clientId: string
  /** Callback URL registered on the connected app. */
  readonly redirectUri: string | undefined
  /** The login URL the endpoints hang off, without a trailing slash. */
  readonly loginUrl: string
  /** `{loginUrl}/services/oauth2/authorize` unless given. */
  readonly authzServiceUrl: string
  /** `{loginUrl}/services/oauth2/token` unless given. */
  readonly tokenServiceUrl: string
  /** `{loginUrl}/services/oauth2/revoke` unless given. */
  readonly revokeServiceUrl: string

  readonly #clientSecret: string | undefined
  readonly #fetch: typeof fetch | undefined
  readonly #timeout: number | undefined
  /** Made on first use: a client that only builds authorization URLs never needs one. */
  #httpMade: Http | undefined
  // Set only when the caller chose this client's login URL or endpoints: then they win over the
  // connection's loginUrl; otherwise the flow follows the connection (e.g. a sandbox loginUrl).
  readonly #ownTokenUrl: string | undefined
  readonly #ownRevokeUrl: string | undefined

  /**
   * @param options Client information and endpoints; see {@link OAuth2Options}.
   * @throws {TypeError} for a missing `clientId`, a URL that is not absolute, or a bad `timeout`.
   * @throws {SfAuthError} `ERR_INSECURE_URL` for an `http://` URL that is not loopback.
   */
  constructor(options: OAuth2Options) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('new OAuth2() takes { clientId, clientSecret?, redirectUri?, loginUrl? }')
    }
    this.clientId = nonEmpty(options.clientId, 'clientId')
    if (options.clientSecret !== undefined) nonEmpty(options.clientSecret, 'clientSecret')
    if (
      options.redirectUri !== undefined &&
      carriesCredentials(nonEmpty(options.redirectUri, 'redirectUri'))
    ) {
      // toJSON() shows the redirect URI: one with user:password@ in it is refused, not echoed.
      throw new TypeError('redirectUri must not carry credentials (user:password@); not shown')
    }
    if (options.timeout !== undefined && !(options.timeout > 0)) {
      throw new TypeError('timeout must be a positive number of milliseconds')
    }
    this.#clientSecret = options.clientSecret
    this.redirectUri = options.redirectUri
    this.loginUrl = baseUrl(options.loginUrl ?? DEFAULT_LOGIN_URL, 'loginUrl')
    const derived = oauthEndpoints(this.loginUrl)
    this.authzServiceUrl = endpoint(options.authzServiceUrl, 'authzServiceUrl') ?? derived.authorize
    this.tokenServiceUrl = endpoint(options.tokenServiceUrl, 'tokenServiceUrl') ?? derived.token
    this.revokeServiceUrl = endpoint(options.revokeServiceUrl, 'revokeServiceUrl') ?? derived.revoke
    const own = options.loginUrl !== undefined
    this.#ownTokenUrl = own || options.tokenServiceUrl ? this.tokenServiceUrl : undefined
    this.#ownRevokeUrl = own || options.revokeServiceUrl ? this.revokeServiceUrl : undefined
    this.#fetch = options.fetch
    this.#timeout = options.timeout
  }

  get #http(): Http {
    this.#httpMade ??= createHttp({ fetch: this.#fetch, timeout: this.#timeout })
    return this.#httpMade
  }

  /** Consumer secret, if given. Readable, but left out of `toJSON()` and `util.inspect`. */
  get clientSecret(): string | undefined {
    return this.#clientSecret
  }

  /**
   * Builds the URL to send the user to: `response_type=code`, `client_id`, `redirect_uri` and
   * every parameter given (scope, state, prompt, display, login_hint, nonce, code_challenge, ...).
   * A `code_challenge` without `code_challenge_method` gets `S256`.
   *
   * @param params Authorize parameters with Salesforce's names.
   * @returns The authorize URL.
   * @throws {TypeError} when there is no redirect URI (neither `redirectUri` nor `redirect_uri`).
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
   * @example
   * ```ts
   * app.get('/oauth2/auth', (req, res) => {
   *   res.redirect(oauth2.getAuthorizationUrl({ scope: 'api id web' }))
   * })
   * ```
   */
  getAuthorizationUrl(params: AuthorizationUrlParams = {}): string {
    return authorizationUrl(this.authzServiceUrl, this.clientId, this.redirectUri, params)
  }

  /**
   * Starts a web server flow the safe way: a fresh PKCE verifier (86 characters) with its `S256`
   * challenge, and a random `state` (unless you pass one). Keep `state` and `codeVerifier` with
   * the user's session; nothing is kept on this instance, so one instance serves many users.
   *
   * @param params Authorize parameters as for {@link OAuth2.getAuthorizationUrl}, without the
   *   PKCE ones (made here).
   * @returns `{ url, state, codeVerifier }`, and `nonce` when the scope has `openid` (a random
   *   one unless you pass your own): check it with `verifyIdToken` from `@sfauth/oauth2/openid`.
   * @throws {TypeError} when `code_challenge` is passed, or there is no redirect URI.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_pkce.htm
   * @see https://datatracker.ietf.org/doc/html/rfc7636
   * @example
   * ```ts
   * const { url, state, codeVerifier } = await oauth2.createAuthorizationRequest({ scope: 'api refresh_token' })
   * req.session.oauth = { state, codeVerifier }
   * res.redirect(url)
   * ```
   */
  async createAuthorizationRequest(
    params: Omit<AuthorizationUrlParams, 'code_challenge' | 'code_challenge_method'> = {},
  ): Promise<AuthorizationRequest> {
    if (params?.code_challenge !== undefined || params?.code_challenge_method !== undefined) {
      throw new TypeError(
        'createAuthorizationRequest() makes the PKCE challenge itself; use getAuthorizationUrl() to send your own',
      )
    }
    const codeVerifier = createCodeVerifier()
    const state = params.state ?? randomBase64url(STATE_BYTES)
    // OpenID Connect: a fresh nonce binds the id_token to this request (replay protection).
    const nonce =
      params.nonce ??
      (params.scope?.split(' ').includes('openid') ? randomBase64url(STATE_BYTES) : undefined)
    const url = this.getAuthorizationUrl({
      ...params,
      state,
      ...(nonce === undefined ? {} : { nonce }),
      code_challenge: await codeChallengeS256(codeVerifier),
      code_challenge_method: 'S256',
    })
    return { url, state, codeVerifier, ...(nonce === undefined ? {} : { nonce }) }
  }

  /**
   * Exchanges an authorization code for tokens (authorization code grant), without a connection.
   * `new Connection({ oauth2 }).authorize(code, params)` does the same and keeps the session.
   *
   * @param code The `code` of the callback.
   * @param params `code_verifier` for a PKCE request; `redirect_uri` if it differs from `redirectUri`.
   * @param callback Optional Node-style callback.
   * @returns The token response (access and refresh token, instance URL, id URL).
   * @throws {SfAuthError} `invalid_grant` (bad, used or expired code; missing verifier),
   *   `invalid_request` (wrong verifier), `invalid_client_id`, `invalid_client`,
   *   `redirect_uri_mismatch`, `ERR_SIGNATURE`.
   * @throws {TypeError} for an empty code or no redirect URI.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
   * @example
   * ```ts
   * const res = await oauth2.requestToken(code, { code_verifier: codeVerifier })
   * ```
   */
  requestToken(
    code: string,
    params?: TokenRequestParams,
    callback?: Callback<TokenResponse>,
  ): Promise<TokenResponse>
  requestToken(code: string, callback: Callback<TokenResponse>): Promise<TokenResponse>
  requestToken(
    code: string,
    paramsOrCallback?: TokenRequestParams | Callback<TokenResponse>,
    callback?: Callback<TokenResponse>,
  ): Promise<TokenResponse> {
    const cb = typeof paramsOrCallback === 'function' ? paramsOrCallback : callback
    const params = typeof paramsOrCallback === 'function' ? {} : (paramsOrCallback ?? {})
    return withCallback(
      (async () =>
        authorizationCodeGrant(
          this.#standalone(),
          this.#client(this.tokenServiceUrl),
          code,
          params,
        ))(),
      cb,
    )
  }

  /**
   * Gets a new access token with a refresh token (refresh token grant), without a connection.
   * With refresh-token rotation the response carries a new `refresh_token` and the one passed
   * here is dead: store the new one. (A connection renews by itself and keeps the new one; if you
   * call this with `conn.refreshToken`, the connection's copy is the one that goes stale.)
   *
   * @param refreshToken The refresh token.
   * @param callback Optional Node-style callback.
   * @returns The token response, with the rotated `refresh_token` when Salesforce rotates.
   * @throws {SfAuthError} `invalid_grant` "expired access/refresh token" for a revoked, expired or
   *   already rotated token; `invalid_client_id`, `invalid_client`, `ERR_SIGNATURE`.
   * @throws {TypeError} for an empty refresh token.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
   * @example
   * ```ts
   * conn.oauth2.refreshToken(refreshToken, (err, results) => {
   *   if (err) return reject(err)
   *   resolve(results)
   * })
   * ```
   */
  refreshToken(refreshToken: string, callback?: Callback<TokenResponse>): Promise<TokenResponse> {
    return withCallback(
      (async () =>
        refreshTokenGrant(
          this.#standalone(),
          this.#client(this.tokenServiceUrl),
          nonEmpty(refreshToken, 'refreshToken'),
        ))(),
      callback,
    )
  }

  /**
   * Logs in with a username and password (OAuth username-password grant), without a connection.
   * `new Connection({ oauth2 }).login(username, password)` does the same and keeps the session.
   * Salesforce issues no refresh token for this grant and blocks it by default in new orgs.
   *
   * @param username The user's username.
   * @param password The password with the security token appended, when the org needs one.
   * @param callback Optional Node-style callback.
   * @returns The token response.
   * @throws {SfAuthError} `invalid_grant` "authentication failure" (wrong credentials, or the grant
   *   is blocked: the message then goes on to name the flows that replace it, since Salesforce
   *   retires this one in Winter '27 and External Client Apps never had it), `invalid_client_id`,
   *   `invalid_client`, `ERR_SIGNATURE`.
   * @throws {TypeError} for an empty username or password.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_username_password_flow.htm
   * @example
   * ```ts
   * const res = await oauth2.authenticate('user@example.com', password + securityToken)
   * ```
   */
  authenticate(
    username: string,
    password: string,
    callback?: Callback<TokenResponse>,
  ): Promise<TokenResponse> {
    return withCallback(
      (async () =>
        passwordGrant(
          this.#standalone(),
          this.#client(this.tokenServiceUrl),
          username,
          password,
        ))(),
      callback,
    )
  }

  /**
   * Revokes an access or refresh token. Revoking a refresh token also revokes every access token
   * issued with it.
   *
   * @param token The access or refresh token.
   * @param callback Optional Node-style callback.
   * @returns Resolves once Salesforce has revoked it.
   * @throws {SfAuthError} `invalid_token` for a token Salesforce does not know (any more).
   * @throws {TypeError} for an empty token.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm
   * @example
   * ```ts
   * await oauth2.revokeToken(refreshToken)
   * ```
   */
  revokeToken(token: string, callback?: Callback<void>): Promise<void> {
    return withCallback(
      (async () => revoke(this.#standalone(), this.revokeServiceUrl, token))(),
      callback,
    )
  }

  /**
   * Flow member behind `conn.login(username, password)`: the password grant. The session keeps a
   * renewal that logs in again (the grant issues no refresh token); it lives in memory only.
   *
   * @param ctx What the connection lends the flow.
   * @param username The user's username.
   * @param password The password with the security token appended, when the org needs one.
   * @returns The session and the token response.
   * @throws {SfAuthError} as {@link OAuth2.authenticate}.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_username_password_flow.htm
   * @example
   * ```ts
   * const conn = new Connection({ oauth2: new OAuth2({ clientId, clientSecret }) })
   * const userInfo = await conn.login(username, password + securityToken)
   * ```
   */
  async login(ctx: FlowContext, username: string, password: string): Promise<FlowResult> {
    const res = await passwordGrant(ctx, this.#client(this.#tokenUrl(ctx)), username, password)
    return tokenResult(res, undefined, (next) => this.login(next, username, password))
  }

  /**
   * Flow member behind `conn.authorize(code, { code_verifier })` and
   * `conn.authorize({ grant_type })` for `authorization_code`, `password` and `refresh_token`
   * (which uses the connection's refresh token unless `refresh_token` is given).
   *
   * @param ctx What the connection lends the flow.
   * @param params The grant's parameters.
   * @returns The session and the token response.
   * @throws {SfAuthError} Salesforce's error for the grant (see the standalone methods).
   * @throws {TypeError} for a missing code, username, password or refresh token.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flows.htm
   * @example
   * ```ts
   * const userInfo = await new Connection({ oauth2 }).authorize(code, { code_verifier })
   * ```
   */
  async authorize(ctx: FlowContext, params: GrantParams): Promise<FlowResult> {
    const { grant_type, ...rest } = params
    const client = this.#client(this.#tokenUrl(ctx))
    switch (grant_type) {
      case 'authorization_code': {
        const { code, ...extra } = rest
        return tokenResult(await authorizationCodeGrant(ctx, client, code as string, extra))
      }
      case 'password':
        return this.login(ctx, rest.username as string, rest.password as string)
      case 'refresh_token': {
        const token = rest.refresh_token ?? ctx.session?.refreshToken
        return refreshedSession(
          ctx,
          client,
          nonEmpty(token, 'refresh_token (or a connection that holds a refresh token)'),
        )
      }
      default:
        throw new TypeError(`@sfauth/oauth2 does not handle grant_type ${grant_type}`)
    }
  }

  /**
   * Flow member the connection calls when the session expired: the refresh token grant, with the
   * connection's current refresh token. A rotated refresh token replaces the old one.
   *
   * @param ctx What the connection lends the flow; its session is read, never a stale copy.
   * @param session The session to renew.
   * @returns The renewal, or `undefined` when the session has no refresh token.
   * @throws {SfAuthError} as {@link OAuth2.refreshToken}, through the returned promise.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
   * @example
   * ```ts
   * const conn = new Connection({ oauth2, instanceUrl, accessToken, refreshToken })
   * conn.on('refresh', (accessToken, res) => save(accessToken, res.refresh_token))
   * ```
   */
  renewSession(ctx: FlowContext, session: Session): Promise<FlowResult> | undefined {
    const token = ctx.session?.refreshToken ?? session.refreshToken
    if (!token || session.kind !== 'oauth2') return undefined
    return refreshedSession(ctx, this.#client(this.#tokenUrl(ctx)), token)
  }

  /**
   * Flow member behind `conn.logout()` for OAuth sessions: revokes the refresh token when there
   * is one (which also kills its access tokens), else the access token. An already invalid token
   * counts as logged out.
   *
   * @param ctx What the connection lends the flow.
   * @param session The session to end.
   * @returns Resolves once revoked, or `undefined` for a SOAP session (not this flow's to end).
   * @throws {SfAuthError} a transport or Salesforce error other than `invalid_token`.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm
   * @example
   * ```ts
   * await conn.logout()
   * ```
   */
  logout(ctx: FlowContext, session: Session): Promise<void> | undefined {
    if (session.kind !== 'oauth2') return undefined
    return revokeSession(
      ctx.http,
      session,
      this.#ownRevokeUrl ?? oauthEndpoints(ctx.loginUrl).revoke,
    )
  }

  /**
   * A view safe to log or serialise: the client secret is only said to be there.
   * @returns Client ID, redirect URI and endpoints.
   * @throws never.
   * @see https://help.salesforce.com/s/articleView?id=sf.connected_app_client_credentials_setup.htm
   * @example
   * ```ts
   * JSON.stringify(new OAuth2({ clientId, clientSecret })) // {"clientId":"…","clientSecret":"[redacted]",…}
   * ```
   */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      clientId: this.clientId,
      clientSecret: this.#clientSecret === undefined ? undefined : '[redacted]',
      redirectUri: this.redirectUri,
      loginUrl: this.loginUrl,
      authzServiceUrl: this.authzServiceUrl,
      tokenServiceUrl: this.tokenServiceUrl,
      revokeServiceUrl: this.revokeServiceUrl,
    }
  }

  [Symbol.for('nodejs.util.inspect.custom')](): Record<string, unknown> {
    return this.toJSON()
  }

  /** This instance's own transport, for the jsforce-style methods called without a connection. */
  #standalone(): Transport {
    return { http: this.#http, loginUrl: this.loginUrl }
  }

  /** The client information the grant functions take, with the token endpoint of this call. */
  #client(tokenUrl: string): OAuthClient {
    return {
      clientId: this.clientId,
      clientSecret: this.#clientSecret,
      redirectUri: this.redirectUri,
      tokenUrl,
    }
  }

  #tokenUrl(ctx: FlowContext): string {
    return this.#ownTokenUrl ?? oauthEndpoints(ctx.loginUrl).token
  }
}
