/**
 * Options of {@link OAuth2}: a connected app's client information and where its endpoints are.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
 */
export interface OAuth2Options {
  /** Consumer key of the connected app. */
  clientId: string
  /** Consumer secret. When given it is sent with every grant and checks the token `signature`. */
  clientSecret?: string
  /** Callback URL registered on the connected app. */
  redirectUri?: string
  /**
   * `https://login.salesforce.com` (default), `https://test.salesforce.com`, a My Domain such as
   * `https://acme.my.salesforce.com`, or an Experience Cloud site with its path
   * (`https://acme.my.site.com/partners`); the endpoints hang off it, path prefix kept.
   */
  loginUrl?: string
  /** Authorize endpoint; default `{loginUrl}/services/oauth2/authorize`. */
  authzServiceUrl?: string
  /** Token endpoint; default `{loginUrl}/services/oauth2/token`. */
  tokenServiceUrl?: string
  /** Revoke endpoint; default `{loginUrl}/services/oauth2/revoke`. */
  revokeServiceUrl?: string
  /**
   * `fetch` for the standalone methods (`requestToken`, `refreshToken`, `authenticate`,
   * `revokeToken`). As a connection's flow, the connection's own transport is used.
   */
  fetch?: typeof fetch
  /** Milliseconds per HTTP call of the standalone methods. */
  timeout?: number
}

/**
 * Parameters of the authorize request. Salesforce's names; any other parameter is passed as is.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export interface AuthorizationUrlParams {
  /** Space-separated scopes, e.g. `'api id web refresh_token'`. */
  scope?: string
  /** Opaque value echoed to the callback; bind it to the user's session to stop CSRF. */
  state?: string
  /** `login`, `consent`, `select_account`, space-separated. */
  prompt?: string
  /** `page`, `popup`, `touch` or `mobile`. */
  display?: string
  /** Prefills the username on the login page. */
  login_hint?: string
  /** Echoed in the ID token (OpenID Connect). */
  nonce?: string
  /** PKCE challenge; {@link OAuth2.createAuthorizationRequest} makes one for you. */
  code_challenge?: string
  /** `S256` (the default when `code_challenge` is given) or `plain`. */
  code_challenge_method?: string
  /** Overrides the instance's `redirectUri` for this request. */
  redirect_uri?: string
  /** Default `code` (web server flow). */
  response_type?: string
  [param: string]: string | undefined
}

/**
 * What {@link OAuth2.createAuthorizationRequest} returns: keep `state` and `codeVerifier` per user.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_pkce.htm
 */
export interface AuthorizationRequest {
  /** The authorize URL to redirect the user to. */
  url: string
  /** The `state` sent; compare it with the callback's (see `parseAuthorizationCallback`). */
  state: string
  /** The PKCE verifier; pass it as `code_verifier` when exchanging the code. */
  codeVerifier: string
  /**
   * The OpenID Connect `nonce` sent, when the scope has `openid` (or the one you passed): keep it
   * and give it to `verifyIdToken` from `@sfauth/oauth2/openid`.
   */
  nonce?: string
}

/**
 * Parameters of the authorization code exchange besides the code itself.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export interface TokenRequestParams {
  /** The PKCE verifier of the authorize request. */
  code_verifier?: string
  /** Overrides the instance's `redirectUri`; must equal the one of the authorize request. */
  redirect_uri?: string
  [param: string]: string | undefined
}
