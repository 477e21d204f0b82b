/**
 * A user of the emulated org.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_user.htm
 */
export interface EmulatorUser {
  username: string
  password: string
  /** When set, the OAuth password grant and SOAP login need `password + securityToken`. */
  securityToken?: string
  /** 18-character `005…` id; generated when missing. */
  userId?: string
  /** 18-character `00D…` id; generated when missing. */
  orgId?: string
  email?: string
  fullName?: string
  /** SOAP login answers 200 with `passwordExpired` true and a session that the APIs refuse. */
  passwordExpired?: boolean
  /** SOAP login fails with `API_DISABLED_FOR_ORG`. */
  apiDisabled?: boolean
}

/**
 * A connected app (OAuth client) registered in the emulated org.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.connected_app_overview.htm
 */
export interface ConnectedApp {
  clientId: string
  clientSecret?: string
  redirectUris?: string[]
  /** PEM X.509 certificate that verifies JWT bearer assertions. */
  certificate?: string
  /** SPKI PEM or JWK that verifies JWT bearer assertions (instead of, or besides, `certificate`). */
  publicKey?: string | JsonWebKey
  /** Require the client secret for the web server, refresh and password flows. Default true. */
  requireSecret?: boolean
  /** Allow the OAuth username-password grant. Default true. */
  allowPasswordGrant?: boolean
  /** Run-as username for the client credentials flow; without it that flow fails. */
  clientCredentialsUser?: string
  /** Users pre-approved for the JWT bearer flow. Default `'all'`. */
  preApprovedUsers?: string[] | 'all'
  /**
   * Refresh token rotation: issue a new refresh token on every refresh and invalidate the old
   * one; replaying a rotated-out token revokes the whole chain. Default false: on Salesforce an
   * admin turns rotation on per connected app.
   *
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
   */
  rotateRefreshTokens?: boolean
  /**
   * Scopes granted when an authorization request names none, and the scope reported by the
   * grants that take no scope parameter. Default `['api', 'web', 'refresh_token']`.
   */
  scopes?: string[]
  /**
   * An External Client App rather than a connected app: the OAuth username-password grant is
   * refused (`invalid_grant` / `authentication failure`, whatever `allowPasswordGrant` says), and
   * refresh-token rotation is on unless `rotateRefreshTokens` is `false`. JWT bearer, client
   * credentials, the web server flow, refresh and token exchange work as for a connected app.
   *
   * @see https://help.salesforce.com/s/articleView?id=xcloud.connected_app_to_external_client_app_migration.htm&type=5
   */
  externalClientApp?: boolean
  /**
   * "Require PKCE": an authorization request without a `code_challenge` is refused with a
   * redirect carrying `error=invalid_request` (`missing required code challenge`). Default false.
   *
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_pkce.htm
   */
  requirePkce?: boolean
  /**
   * The refresh-token idle timeout ("expire refresh token if not used for"): a refresh token
   * unused for longer than this answers `invalid_grant` / `expired access/refresh token` and its
   * chain is revoked. Default: refresh tokens never expire (valid until revoked).
   *
   * @see https://help.salesforce.com/s/articleView?id=sf.connected_app_manage_oauth.htm
   */
  refreshTokenIdleTimeoutMs?: number
}

/**
 * An OAuth 2.0 token exchange handler, standing in for the Apex class an admin registers
 * (`Auth.Oauth2TokenExchangeHandler`): it decides which user a subject token belongs to.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_token_exchange_flow.htm
 */
export interface TokenExchangeHandler {
  /** Developer name sent as `token_handler`. */
  name: string
  /** Used when a request names no `token_handler`. Default false (the first handler added is the default when none says so). */
  isDefault?: boolean
  /** Subject token types it accepts (`urn:ietf:params:oauth:token-type:…`). Default: all. */
  subjectTokenTypes?: string[]
  /** Connected apps allowed to use it. Default: all. */
  clientIds?: string[]
  /**
   * Maps a subject token to a username of the org, or `undefined` to reject it (the handler's
   * validation failed). May be async, e.g. to verify a JWT with jose.
   */
  resolve(
    subjectToken: string,
    subjectTokenType: string,
  ): string | undefined | Promise<string | undefined>
}

/**
 * Options of `createEmulator`.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.domain_name_overview.htm
 */
export interface EmulatorOptions {
  /** Default `[DEFAULT_USER]`. */
  users?: EmulatorUser[]
  /** Default `[DEFAULT_APP]`. */
  apps?: ConnectedApp[]
  /**
   * Instance (My Domain) URL returned as `instance_url` through `handle`, `fetch` and msw.
   * Default `'https://acme.my.salesforce.com'`. Through `listen()` the instance is the server's URL.
   */
  instanceUrl?: string
  /** Reject JWT bearer assertions whose `exp` is more than 180 s ahead. */
  strictJwtLifetime?: boolean
  /** Answer CORS preflights and echo `Access-Control-Allow-Origin`, for browser tests. */
  cors?: boolean
  /** Delay every response by this many milliseconds. */
  delayMs?: number
  /**
   * Refresh tokens (approvals) one user may hold per connected app; issuing one more revokes the
   * oldest with its access tokens. Default 5, Salesforce's figure; `Infinity` turns it off.
   *
   * @see https://help.salesforce.com/s/articleView?id=000205876&type=1
   */
  maxApprovalsPerApp?: number
  /**
   * Logins (SOAP login, password, JWT bearer, client credentials and token exchange grants, and
   * the authorize page's login form) one user may make in a rolling hour; more answer
   * `LOGIN_RATE_EXCEEDED`. Default 3600, Salesforce's figure; `Infinity` turns it off.
   *
   * @see https://help.salesforce.com/s/articleView?id=000381578&type=1
   */
  loginsPerHour?: number
  /** Clock override in epoch milliseconds. */
  now?: () => number
  /**
   * The org refuses the OAuth username-password flow for every app: "Allow OAuth Username-Password
   * Flows" off (the default in orgs created since Summer '23), or the Winter '27 release update
   * that retires the flow enforced. The password grant answers `invalid_grant` /
   * `authentication failure`, as it does for a wrong password.
   *
   * @see https://help.salesforce.com/s/articleView?id=000385008
   */
  blockUsernamePasswordFlow?: boolean
  /**
   * SOAP API `login()` is disabled in the org (the default in new orgs): every login() faults
   * with `INVALID_OPERATION` / `SOAP API login() is disabled by default in this org. ...`.
   *
   * @see https://help.salesforce.com/s/articleView?id=005132110&type=1
   */
  soapLoginDisabled?: boolean
  /**
   * The REST API requires a high-assurance session. Sessions from the browser login (web server
   * and user-agent flows, their refreshes, and frontdoor logins from them) count as high
   * assurance, as after multi-factor authentication; API logins (password, SOAP, JWT bearer,
   * client credentials, token exchange) do not, and `/services/data` answers them
   * 401 `INVALID_SESSION_ID` / `This session is not valid for use with the REST API`.
   *
   * @see https://help.salesforce.com/s/articleView?id=sf.security_auth_require_ha_session.htm
   */
  requireHighAssurance?: boolean
  /**
   * Seconds a session (access token or SOAP session id) lives without use. Default 7200, the
   * default org session timeout; any API call restarts the timer.
   *
   * @see https://help.salesforce.com/s/articleView?id=sf.admin_sessions.htm
   */
  sessionSecondsValid?: number
  /** What `SELECT … FROM Organization` answers, and whether the org is a Dev Hub. */
  organization?: EmulatorOrganization
}

/**
 * The emulated org as its Organization record shows it.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_organization.htm
 */
export interface EmulatorOrganization {
  /** `Name`. Default `'Acme'`. */
  name?: string
  /** `InstanceName`. Default `'EMU1'`. */
  instanceName?: string
  /** `OrganizationType`. Default `'Developer Edition'`. */
  edition?: string
  /** `IsSandbox`. Default false. */
  sandbox?: boolean
  /**
   * Dev Hub enabled: `SELECT … FROM ScratchOrgInfo` answers (with no records) instead of
   * `INVALID_TYPE`. Default false, as on an org without Dev Hub.
   */
  devHub?: boolean
}

/**
 * Endpoint names used by {@link Emulator.count} and {@link Emulator.calls}. A SOAP request that
 * is not a logout (malformed XML included) counts as `soap-login`; unknown paths as `not-found`.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
 */
export type EmulatorEndpoint =
  | 'token'
  | 'authorize'
  | 'revoke'
  | 'introspect'
  | 'userinfo'
  | 'identity'
  | 'soap-login'
  | 'soap-logout'
  | 'data'
  | 'openid-configuration'
  | 'keys'
  | 'singleaccess'
  | 'frontdoor'
  | 'ui'
  | 'not-found'

/** One request the emulator answered. */
export interface EmulatorCall {
  endpoint: EmulatorEndpoint
  /** `grant_type` of a token request, when it had one. */
  grantType?: string
  method: string
  url: string
  /** Clock time (ms) when the request arrived. */
  time: number
}

/**
 * A running loopback server made by {@link Emulator.listen}. Its URL serves as login host,
 * My Domain and instance at once.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.domain_name_overview.htm
 */
export interface EmulatorServer {
  /** `http://127.0.0.1:PORT` (`https://` with `tls`) */
  url: string
  /** With `tls`, the server's certificate (PEM): trust it with `NODE_EXTRA_CA_CERTS` and the like. */
  certificate?: string
  /** Stops listening and closes open connections; resolves once the port is free. */
  close(): Promise<void>
}

/**
 * Options of {@link Emulator.listen}.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.domain_name_overview.htm
 */
export interface ListenOptions {
  /**
   * Address to listen on. Default `'127.0.0.1'`: only this machine can reach the emulator. Any
   * other address (`'0.0.0.0'`) exposes its default users and secrets to the network.
   */
  host?: string
  /**
   * `Host` names the server answers besides loopback ones (`localhost`, `127.0.0.1`, `[::1]`);
   * any other `Host` gets 403, which keeps a web page that rebinds its own name to this machine
   * (DNS rebinding) from driving the emulator through the user's browser.
   */
  allowedHosts?: string[]
  /**
   * Serve HTTPS: `true` makes a self-signed certificate for the loopback names (and `host`,
   * `allowedHosts`) at start, returned as {@link EmulatorServer.certificate} for clients to trust;
   * or your own `{ key, cert }` (PEM). Some clients accept only https, such as the Salesforce
   * CLI's auth-URL login.
   */
  tls?: boolean | { key: string; cert: string }
}

/**
 * Parameters of {@link Emulator.approve}, named after the authorize request's parameters.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export interface ApproveParams {
  clientId: string
  username: string
  /** Must be one of the app's `redirectUris`; the token request must repeat it. */
  redirectUri: string
  /** Granted scope; the app's `scopes` when missing. */
  scope?: string
  /** Accepted for symmetry with the authorize request; only the redirect carries it, not the code. */
  state?: string
  codeChallenge?: string
  codeChallengeMethod?: string
  /** OpenID Connect nonce, echoed in the id_token when the scope includes `openid`. */
  nonce?: string
}

/**
 * A local Salesforce login emulator.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_authenticate.htm
 */
export interface Emulator {
  /** The configured instance URL (what `instance_url` is through `handle`, `fetch` and msw). */
  readonly instanceUrl: string
  /** The one Web-standard handler. */
  handle(request: Request): Promise<Response>
  /** `fetch` bound to {@link Emulator.handle}; nothing leaves the process. */
  fetch: typeof fetch
  /**
   * Starts a real HTTP server on 127.0.0.1 (port 0 = any free port). It answers only requests
   * whose `Host` is a loopback name or one of `allowedHosts`, and refuses bodies over 1 MiB.
   */
  listen(port?: number, options?: ListenOptions): Promise<EmulatorServer>
  /** Adds a user, or replaces the one with the same username. */
  addUser(user: EmulatorUser): void
  /** Adds a connected app, or replaces the one with the same client id. */
  addApp(app: ConnectedApp): void
  /**
   * Every live access token and SOAP session becomes invalid, as when sessions time out;
   * refresh tokens stay valid.
   *
   * @see https://help.salesforce.com/s/articleView?id=sf.admin_sessions.htm
   */
  expireSessions(): void
  /** Ends one access token or SOAP session id. */
  expireSession(accessToken: string): void
  /** How many calls an endpoint received, optionally only those of one grant type. */
  count(endpoint: EmulatorEndpoint, grantType?: string): number
  /** Every request answered so far, oldest first (CORS preflights are not recorded). */
  readonly calls: readonly EmulatorCall[]
  /** Forgets every recorded call, so `count()` and `calls` start again from zero. */
  resetCalls(): void
  /** Delays every later response by `ms` milliseconds. */
  setDelay(ms: number): void
  /**
   * Issues an authorization code as the consent page's Allow button does (no browser needed).
   * Throws a `TypeError` for an unknown client or user or an unregistered redirect URI.
   *
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
   */
  approve(params: ApproveParams): string
  /** Whether an access token or SOAP session id would be accepted now; does not extend it. */
  isValidAccessToken(token: string): boolean
  /**
   * Registers a token exchange handler (or replaces the one with the same name), so that
   * `grant_type=urn:ietf:params:oauth:grant-type:token-exchange` can turn subject tokens into
   * sessions. Without any handler that grant fails as on an org with none set up.
   *
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_token_exchange_flow.htm
   */
  addTokenExchangeHandler(handler: TokenExchangeHandler): void
}
