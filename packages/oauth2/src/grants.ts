import {
  callRevokeEndpoint,
  callTokenEndpoint,
  type FlowContext,
  type FlowResult,
  sessionFromToken,
  type TokenResponse,
} from '@sfauth/core/flow'
import { withRetirementHint } from './password-refusal.js'
import type { TokenRequestParams } from './types.js'

/**
 * The grants of `@sfauth/oauth2` as plain functions, the way oauth4webapi writes them: each takes
 * the transport and the client, and does one call. The `OAuth2` class (jsforce's methods) and its
 * `Flow` members are thin adapters over these.
 */

/** The transport of one call: a connection's flow context, or an `OAuth2` instance's own. */
export type Transport = Pick<FlowContext, 'http' | 'loginUrl'>

/** Who asks (the connected app) and which endpoints it uses. */
export interface OAuthClient {
  clientId: string
  /** Sent in the body, and checks the token response's `signature`, when there is one. */
  clientSecret?: string | undefined
  /** The `redirect_uri` of the authorize request, for the authorization code grant. */
  redirectUri?: string | undefined
  /** The token endpoint. */
  tokenUrl: string
}

/** A non-empty string, or a `TypeError` naming `what`. */
export function nonEmpty(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${what} must be a non-empty string`)
  }
  return value
}

/** Every grant: client credentials in the body, signature checked when the secret is known. */
function grant(
  transport: Transport,
  client: OAuthClient,
  params: Record<string, string | undefined>,
): Promise<TokenResponse> {
  const { clientSecret } = client
  return callTokenEndpoint(
    transport,
    { ...params, client_id: client.clientId, client_secret: clientSecret },
    { tokenUrl: client.tokenUrl, ...(clientSecret === undefined ? {} : { clientSecret }) },
  )
}

/**
 * The authorization code grant: exchanges `code` (with `code_verifier` for PKCE) for tokens.
 * @throws {TypeError} without a code, or without a redirect URI (the client's or `redirect_uri`).
 * @throws {SfAuthError} Salesforce's error (`invalid_grant`, ...).
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export function authorizationCodeGrant(
  transport: Transport,
  client: OAuthClient,
  code: string,
  params: TokenRequestParams = {},
): Promise<TokenResponse> {
  nonEmpty(code, 'code')
  const redirectUri = params.redirect_uri ?? client.redirectUri
  if (!redirectUri) {
    throw new TypeError(
      'The authorization code grant needs the redirect URI of the authorize request: pass redirectUri to new OAuth2() or redirect_uri',
    )
  }
  return grant(transport, client, {
    grant_type: 'authorization_code',
    ...params,
    code,
    redirect_uri: redirectUri,
  })
}

/**
 * The username-password grant.
 * @throws {TypeError} for an empty username or password.
 * @throws {SfAuthError} Salesforce's error (`invalid_grant`, ...); a refusal carries a hint naming
 *   the flows that replace this one (see {@link withRetirementHint}).
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_username_password_flow.htm
 */
export function passwordGrant(
  transport: Transport,
  client: OAuthClient,
  username: string,
  password: string,
): Promise<TokenResponse> {
  return grant(transport, client, {
    grant_type: 'password',
    username: nonEmpty(username, 'username'),
    password: nonEmpty(password, 'password'),
  }).catch((err: unknown) => {
    throw withRetirementHint(err)
  })
}

/**
 * The refresh token grant.
 * @throws {SfAuthError} Salesforce's error (`invalid_grant` for a revoked or rotated-out token, ...).
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
 */
export function refreshTokenGrant(
  transport: Transport,
  client: OAuthClient,
  refreshToken: string,
): Promise<TokenResponse> {
  return grant(transport, client, { grant_type: 'refresh_token', refresh_token: refreshToken })
}

/**
 * A session from the refresh token grant: it keeps `refreshToken` unless Salesforce rotated it.
 * @throws {SfAuthError} as {@link refreshTokenGrant}.
 */
export async function refreshedSession(
  transport: Transport,
  client: OAuthClient,
  refreshToken: string,
): Promise<FlowResult> {
  const res = await refreshTokenGrant(transport, client, refreshToken)
  return {
    session: { ...sessionFromToken(res), refreshToken: res.refresh_token ?? refreshToken },
    response: res,
  }
}

/**
 * Revokes an access or refresh token at `revokeUrl`.
 * @throws {SfAuthError} `invalid_token` for a token Salesforce does not know, or another error.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm
 */
export function revoke(
  transport: Pick<Transport, 'http'>,
  revokeUrl: string,
  token: string,
): Promise<void> {
  return callRevokeEndpoint(transport.http, revokeUrl, nonEmpty(token, 'token'))
}
