import type { RequestContext } from './request-context.js'
import { siteUrl } from './request-context.js'
import { json } from './responses.js'

/**
 * `GET /.well-known/openid-configuration`: OpenID Connect discovery for the host it was asked on
 * (the issuer is that host, as on My Domain). No session needed.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid_discovery_endpoint.htm
 */
export function openidConfiguration(ctx: RequestContext): Response {
  const site = siteUrl(ctx)
  const oauth = `${site}/services/oauth2`
  return json({
    issuer: site,
    authorization_endpoint: `${oauth}/authorize`,
    token_endpoint: `${oauth}/token`,
    revocation_endpoint: `${oauth}/revoke`,
    introspection_endpoint: `${oauth}/introspect`,
    userinfo_endpoint: `${oauth}/userinfo`,
    jwks_uri: `${site}/id/keys`,
    response_types_supported: ['code', 'token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    grant_types_supported: [
      'authorization_code',
      'refresh_token',
      'password',
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
      'urn:ietf:params:oauth:grant-type:token-exchange',
    ],
    scopes_supported: ['api', 'web', 'id', 'openid', 'refresh_token', 'offline_access', 'email'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'none'],
    code_challenge_methods_supported: ['S256', 'plain'],
    claims_supported: [
      'sub',
      'user_id',
      'organization_id',
      'preferred_username',
      'name',
      'email',
      'email_verified',
    ],
  })
}
