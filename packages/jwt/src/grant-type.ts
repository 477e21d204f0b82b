/**
 * The OAuth 2.0 JWT bearer grant type (RFC 7523), the `grant_type` of
 * `conn.authorize({ grant_type: JWT_BEARER_GRANT_TYPE, ... })`.
 *
 * @example
 * ```ts
 * await conn.authorize({ grant_type: JWT_BEARER_GRANT_TYPE, assertion })
 * ```
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
