import {
  callTokenEndpoint,
  type Flow,
  type FlowContext,
  type FlowResult,
  revokeSession,
  tokenResult,
} from '@sfauth/core/flow'
import { badSource, exchangeError, MAX_SUBJECT_TOKEN_LENGTH, tooLong } from './errors.js'

/**
 * The grant type of the OAuth 2.0 token exchange (RFC 8693), which `conn.authorize()` dispatches
 * on: `conn.authorize({ grant_type: TOKEN_EXCHANGE_GRANT_TYPE })`.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_token_exchange_flow.htm&type=5
 * @example
 * ```ts
 * await conn.authorize({ grant_type: TOKEN_EXCHANGE_GRANT_TYPE })
 * ```
 */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange'

/**
 * The subject token types Salesforce accepts (`urn:ietf:params:oauth:token-type:…`); any other
 * string is sent as given.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_token_exchange_flow.htm&type=5
 * @example
 * ```ts
 * const type: SubjectTokenType = 'urn:ietf:params:oauth:token-type:id_token'
 * ```
 */
export type SubjectTokenType =
  | 'urn:ietf:params:oauth:token-type:access_token'
  | 'urn:ietf:params:oauth:token-type:id_token'
  | 'urn:ietf:params:oauth:token-type:jwt'
  | 'urn:ietf:params:oauth:token-type:refresh_token'
  | 'urn:ietf:params:oauth:token-type:saml2'
  | (string & {})

/**
 * Options of {@link tokenExchange}.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_token_exchange_flow.htm&type=5
 * @example
 * ```ts
 * tokenExchange({
 *   subjectToken: () => myIdp.getIdToken(), // a fresh one at every renewal
 *   subjectTokenType: 'urn:ietf:params:oauth:token-type:id_token',
 *   tokenHandler: 'OktaHandler',
 *   scope: 'api',
 * })
 * ```
 */
export interface TokenExchangeOptions {
  /**
   * The other identity provider's token: a string, or a function (sync or async) returning one.
   * A function is called again at every renewal, so the exchange always sends a fresh token; a
   * string is sent again as it is, which works only while it has not expired. At most 10,000
   * characters; it is never shown in an error or a serialised connection.
   */
  subjectToken: string | (() => string | Promise<string>)
  /** What the subject token is, e.g. `'urn:ietf:params:oauth:token-type:id_token'`. */
  subjectTokenType: SubjectTokenType
  /**
   * Developer name of the token exchange handler set up in the org (`token_handler`); without
   * it Salesforce uses the org's default handler.
   */
  tokenHandler?: string
  /** Space-separated scopes to ask for, a subset of the connected app's; default all of them. */
  scope?: string
}

function optionalString(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== 'string' || value === '')) {
    throw new TypeError(`tokenExchange(): ${name} must be a non-empty string`)
  }
}

/**
 * The OAuth 2.0 token exchange flow (Salesforce since Spring '24): an app whose users signed in
 * with another identity provider (Okta, Auth0, Entra ID, another Salesforce org) sends that
 * provider's token to `/services/oauth2/token`, and a token exchange handler set up in the org
 * maps it to a Salesforce user, who gets a session. The connected app is named by the
 * connection's `oauth2.clientId`; `oauth2.clientSecret` is sent only when given (apps that do
 * not require the secret work without it).
 *
 * When the session expires, the flow exchanges again (once for all concurrent callers; the
 * connection fires `'refresh'`), calling a `subjectToken` function again for a fresh token.
 * `conn.logout()` revokes the access token.
 *
 * @param options the subject token (or a function returning a fresh one), its type, and
 *   optionally the handler's name and the scope.
 * @returns a flow to register with `new Connection({ flows: [tokenExchange({...})] })`,
 *   answering `conn.authorize({ grant_type: TOKEN_EXCHANGE_GRANT_TYPE })`.
 * @throws {TypeError} at once for malformed options; from `authorize` when the connection has no
 *   `oauth2.clientId`.
 * @throws {SfAuthError} from `authorize`: `ERR_SUBJECT_TOKEN_TOO_LONG` for a subject token over
 *   10,000 characters (nothing sent); `ERR_SUBJECT_TOKEN` when the `subjectToken` function fails;
 *   Salesforce's `invalid_request` (unknown handler, unsupported token type; with a hint),
 *   `invalid_grant` (the handler refused the subject token; with a hint), `invalid_scope`,
 *   `invalid_client_id`, `invalid_client`; `ERR_SIGNATURE` for a tampered response.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_token_exchange_flow.htm&type=5
 * @see https://datatracker.ietf.org/doc/html/rfc8693
 * @example
 * ```ts
 * import { Connection } from '@sfauth/core'
 * import { TOKEN_EXCHANGE_GRANT_TYPE, tokenExchange } from '@sfauth/token-exchange'
 *
 * const conn = new Connection({
 *   loginUrl: 'https://acme.my.salesforce.com',
 *   oauth2: { clientId },
 *   flows: [tokenExchange({
 *     subjectToken: async () => (await okta.tokenManager.get('idToken')).idToken,
 *     subjectTokenType: 'urn:ietf:params:oauth:token-type:id_token',
 *   })],
 * })
 * const userInfo = await conn.authorize({ grant_type: TOKEN_EXCHANGE_GRANT_TYPE })
 * ```
 */
export function tokenExchange(options: TokenExchangeOptions): Flow {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      'tokenExchange() takes { subjectToken, subjectTokenType, tokenHandler?, scope? }',
    )
  }
  const { subjectToken, subjectTokenType, tokenHandler, scope } = options
  if (typeof subjectToken !== 'function' && (typeof subjectToken !== 'string' || !subjectToken)) {
    throw new TypeError(
      'tokenExchange(): subjectToken must be a non-empty string or a function returning one',
    )
  }
  if (typeof subjectTokenType !== 'string' || subjectTokenType === '') {
    throw new TypeError(
      "tokenExchange(): subjectTokenType must be a token type such as 'urn:ietf:params:oauth:token-type:id_token'",
    )
  }
  optionalString(tokenHandler, 'tokenHandler')
  optionalString(scope, 'scope')
  const fresh = typeof subjectToken === 'function'

  async function currentToken(): Promise<string> {
    if (typeof subjectToken === 'string') return subjectToken
    let token: unknown
    try {
      token = await subjectToken()
    } catch (err) {
      throw badSource(err)
    }
    if (typeof token !== 'string' || token === '') throw badSource(undefined)
    return token
  }

  async function exchange(
    ctx: FlowContext,
    params: Record<string, string | undefined>,
    renewal: boolean,
  ): Promise<FlowResult> {
    const { client_id, client_secret, ...extra } = params
    const clientId = client_id || ctx.client?.clientId
    if (!clientId) {
      throw new TypeError(
        'The token exchange flow needs the connected app: pass new Connection({ oauth2: { clientId } }) (and clientSecret when the app requires it)',
      )
    }
    const clientSecret = client_secret || ctx.client?.clientSecret || undefined
    const token = await currentToken()
    if (token.length > MAX_SUBJECT_TOKEN_LENGTH) throw tooLong(token.length)
    const form: Record<string, string | undefined> = {
      ...extra,
      grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
      subject_token: token,
      subject_token_type: subjectTokenType,
      client_id: clientId,
      ...(clientSecret ? { client_secret: clientSecret } : {}),
      ...(tokenHandler ? { token_handler: tokenHandler } : {}),
      ...(scope ? { scope } : {}),
    }
    try {
      const res = await callTokenEndpoint(ctx, form, clientSecret ? { clientSecret } : {})
      // A refresh token that came with the answer (scope refresh_token) replaces the old one.
      return tokenResult(res, renewal ? ctx.session : undefined)
    } catch (err) {
      throw exchangeError(err, token, { tokenHandler, subjectTokenType, renewal, fresh })
    }
  }

  return {
    name: '@sfauth/token-exchange',
    grantTypes: [TOKEN_EXCHANGE_GRANT_TYPE],
    async authorize(ctx, { grant_type: _grantType, ...params }) {
      // Renewal exchanges again, with the client information passed to authorize() itself.
      const renew = (renewCtx: FlowContext) => exchange(renewCtx, params, true)
      return { ...(await exchange(ctx, params, false)), renewThis: renew }
    },
    renewSession(ctx) {
      // A session restored from a store or passed in the options is replaced by a new exchange.
      return ctx.client?.clientId ? exchange(ctx, {}, true) : undefined
    },
    logout(ctx, session) {
      return session.kind === 'oauth2' ? revokeSession(ctx.http, session) : undefined
    },
  }
}
