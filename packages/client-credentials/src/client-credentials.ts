import {
  baseUrl,
  callTokenEndpoint,
  type Flow,
  type FlowContext,
  type FlowResult,
  oauthEndpoints,
  revokeSession,
  tokenResult,
} from '@sfauth/core/flow'
import { findCredentials, requireCredentials } from './credentials.js'
import { assertMyDomain, withMyDomainHint } from './my-domain.js'

/**
 * Options of {@link clientCredentials}. Every field is optional: credentials default to the
 * connection's `oauth2` option, the URL to its `loginUrl`.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm&type=5
 * @example
 * ```ts
 * clientCredentials({ clientId, clientSecret, loginUrl: 'https://acme.my.salesforce.com', auth: 'basic' })
 * ```
 */
export interface ClientCredentialsOptions {
  /** Consumer key of the connected app; defaults to the connection's `oauth2.clientId`. */
  clientId?: string
  /** Consumer secret of the connected app; defaults to the connection's `oauth2.clientSecret`. */
  clientSecret?: string
  /**
   * The org's My Domain URL, e.g. `https://acme.my.salesforce.com`; defaults to the connection's
   * `loginUrl` (which itself defaults to `oauth2.loginUrl`).
   */
  loginUrl?: string
  /**
   * How the app authenticates at the token endpoint: `'body'` (default) sends `client_id` and
   * `client_secret` as form fields, `'basic'` sends them as HTTP Basic.
   */
  auth?: 'body' | 'basic'
}

const GRANT_TYPE = 'client_credentials'

function optionalString(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== 'string' || value === '')) {
    throw new TypeError(`clientCredentials(): ${name} must be a non-empty string`)
  }
}

/**
 * The OAuth 2.0 client credentials flow: the connected app logs in as its configured run-as
 * user with its own consumer key and secret, no user interaction. Salesforce issues no refresh
 * token here, so when the session expires the flow simply asks for a new access token
 * (`conn.request` does that by itself, once for all concurrent callers, and fires `'refresh'`).
 * `conn.logout()` revokes the access token.
 *
 * Salesforce accepts this grant only on the org's My Domain host, so a login URL of
 * `login.salesforce.com` or `test.salesforce.com` is refused before anything is sent.
 *
 * @param options credentials, My Domain URL and client authentication style; credentials
 *   default to the connection's `oauth2` option, the URL to the connection's `loginUrl`.
 * @returns a flow to register with `new Connection({ flows: [clientCredentials()] })`, answering
 *   `conn.authorize({ grant_type: 'client_credentials' })`.
 * @throws {TypeError} at once for malformed options; from `authorize` when no client ID or
 *   secret is known.
 * @throws {SfAuthError} from `authorize`: `ERR_MY_DOMAIN_REQUIRED` for a generic login host;
 *   Salesforce's `invalid_client`, `invalid_client_id` or `invalid_grant` (with a My Domain hint
 *   for "request not supported on this domain"); `ERR_SIGNATURE` for a tampered response.
 *   A malformed `loginUrl` option throws at once (`TypeError`, or `ERR_INSECURE_URL` for
 *   `http://` to a host that is not loopback).
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm&type=5
 * @example
 * ```ts
 * import { Connection } from '@sfauth/core'
 * import { clientCredentials } from '@sfauth/client-credentials'
 *
 * const conn = new Connection({
 *   instanceUrl: 'https://acme.my.salesforce.com',
 *   oauth2: { clientId, clientSecret, loginUrl: 'https://acme.my.salesforce.com' },
 *   flows: [clientCredentials()],
 * })
 * const userInfo = await conn.authorize({ grant_type: 'client_credentials' })
 * ```
 */
export function clientCredentials(options: ClientCredentialsOptions = {}): Flow {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('clientCredentials() takes { clientId?, clientSecret?, loginUrl?, auth? }')
  }
  optionalString(options.clientId, 'clientId')
  optionalString(options.clientSecret, 'clientSecret')
  optionalString(options.loginUrl, 'loginUrl')
  const auth = options.auth ?? 'body'
  if (auth !== 'body' && auth !== 'basic') {
    throw new TypeError(`clientCredentials(): auth must be 'body' or 'basic', got ${String(auth)}`)
  }
  const loginUrl =
    options.loginUrl === undefined ? undefined : baseUrl(options.loginUrl, 'loginUrl')
  // A copy of what was checked: later changes to the caller's object do not reach the flow.
  const own = { clientId: options.clientId, clientSecret: options.clientSecret }

  async function grant(
    ctx: FlowContext,
    params: Record<string, string | undefined>,
  ): Promise<FlowResult> {
    const { client_id, client_secret, ...extra } = params
    const { clientId, clientSecret } = requireCredentials(
      ctx,
      { clientId: client_id, clientSecret: client_secret },
      own,
    )
    const url = loginUrl ?? ctx.loginUrl
    assertMyDomain(url, ctx.instanceUrl)
    const form =
      auth === 'basic'
        ? { ...extra, grant_type: GRANT_TYPE }
        : { ...extra, grant_type: GRANT_TYPE, client_id: clientId, client_secret: clientSecret }
    try {
      const res = await callTokenEndpoint(ctx, form, {
        tokenUrl: oauthEndpoints(url).token,
        clientSecret,
        ...(auth === 'basic' ? { basicAuth: { clientId, clientSecret } } : {}),
      })
      // No previous session is passed: this grant has no refresh token to carry over.
      return tokenResult(res)
    } catch (err) {
      throw withMyDomainHint(err, ctx.instanceUrl)
    }
  }

  return {
    name: '@sfauth/client-credentials',
    grantTypes: [GRANT_TYPE],
    async authorize(ctx, { grant_type: _grantType, ...params }) {
      // Renewal repeats the same request, including credentials passed to authorize() itself.
      const request = (renewCtx: FlowContext) => grant(renewCtx, params)
      return { ...(await request(ctx)), renewThis: request }
    },
    renewSession(ctx) {
      // Any session can be replaced by a fresh token, as long as there is something to ask with.
      return Array.isArray(findCredentials(own, ctx.client)) ? undefined : grant(ctx, {})
    },
    logout(ctx, session) {
      return session.kind === 'oauth2' ? revokeSession(ctx.http, session) : undefined
    },
  }
}
