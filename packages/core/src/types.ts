/**
 * Who a session belongs to, derived from the `id` URL of a token response or from SOAP login.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
 */
export interface UserInfo {
  /** User ID (`005…`). */
  id: string
  /** Organization ID (`00D…`). */
  organizationId: string
  /** The identity URL, `https://login.salesforce.com/id/{orgId}/{userId}`. */
  url: string
}

/**
 * What Salesforce's `/services/oauth2/token` endpoint answers, with its wire names.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export interface TokenResponse {
  access_token: string
  instance_url: string
  id: string
  token_type?: string
  /** Epoch milliseconds, as a string. */
  issued_at?: string
  /** Base64(HMAC-SHA256(client secret, id + issued_at)). */
  signature?: string
  scope?: string
  refresh_token?: string
  id_token?: string
  sfdc_community_url?: string
  sfdc_community_id?: string
  [field: string]: unknown
}

/** Client information of a connected app: what the `oauth2` connection option carries. */
export interface ClientInfo {
  /** Consumer key. */
  clientId: string
  /** Consumer secret. */
  clientSecret?: string
  /** Callback URL registered on the connected app. */
  redirectUri?: string
  /** Login URL for this client (`https://login.salesforce.com`, a sandbox or a My Domain). */
  loginUrl?: string
}

/**
 * The session a connection holds, normalised. `kind` records how Salesforce issued it,
 * which decides how it is invalidated: token revocation for `oauth2`, SOAP `logout()` for `soap`.
 */
export interface Session {
  accessToken: string
  instanceUrl: string
  refreshToken?: string
  userInfo?: UserInfo
  kind: 'oauth2' | 'soap'
  /** Epoch milliseconds at which Salesforce issued the access token, when it said. */
  issuedAt?: number
}
