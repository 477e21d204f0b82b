import {
  callTokenEndpoint,
  type Flow,
  type FlowContext,
  type FlowResult,
  type GrantParams,
  revokeSession,
  SfAuthError,
  tokenResult,
} from '@sfauth/core/flow'
import { audienceFor } from './audience.js'
import { withHint } from './error-hints.js'
import { JWT_BEARER_GRANT_TYPE } from './grant-type.js'
import { importPrivateKey } from './import-private-key.js'
import { checkOptions, DEFAULT_EXPIRES_IN, type JwtBearerOptions } from './options.js'
import { signAssertion } from './sign-assertion.js'

const NAME = '@sfauth/jwt'

/**
 * The OAuth 2.0 JWT bearer flow, as a flow to register on a `Connection`.
 *
 * - `authorize({ grant_type: JWT_BEARER_GRANT_TYPE, assertion })` posts an assertion the caller
 *   signed (jsforce's form).
 * - With `clientId` (or the connection's `oauth2.clientId`), `username` and `privateKey`,
 *   `authorize({ grant_type: JWT_BEARER_GRANT_TYPE })` signs the assertion itself (RS256, `exp`
 *   `expiresIn` seconds ahead), and an expired session is renewed by signing a fresh one: this
 *   flow has no refresh token.
 * - `conn.logout()` revokes the access token.
 *
 * @param options what signing needs; leave them out to post caller-signed assertions only.
 * @returns a flow for `new Connection({ flows: [...] })` or `conn.use(...)`.
 * @throws {TypeError} at once for options of the wrong type. Later, `authorize()` rejects with a
 *   `TypeError` when it must sign and `clientId`, `username` or `privateKey` is missing; with
 *   `SfAuthError` `ERR_INVALID_KEY` for a key that cannot sign (empty, encrypted, a certificate,
 *   not RSA, damaged); and with Salesforce's errors (`invalid_grant`, `invalid_client_id`) plus a
 *   hint on the usual cause. Renewing a session made from a caller's assertion, with no key to
 *   sign a new one, rejects with `SfAuthError` `INVALID_SESSION_ID` saying so.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 * @example
 * ```ts
 * import { Connection } from '@sfauth/core'
 * import { jwtBearer, JWT_BEARER_GRANT_TYPE } from '@sfauth/jwt'
 *
 * const conn = new Connection({
 *   loginUrl: 'https://test.salesforce.com',
 *   flows: [jwtBearer({ clientId, username: 'user@example.com.dev', privateKey: pem })],
 * })
 * await conn.authorize({ grant_type: JWT_BEARER_GRANT_TYPE })
 * await conn.request('limits') // renews by itself when the session expires
 * ```
 */
export function jwtBearer(options: JwtBearerOptions = {}): Flow {
  checkOptions(options)
  const { username, privateKey, audience } = options
  const expiresIn = options.expiresIn ?? DEFAULT_EXPIRES_IN
  let key: Promise<CryptoKey> | undefined

  const clientIdOf = (ctx: FlowContext) => options.clientId ?? ctx.client?.clientId
  const canSign = (ctx: FlowContext) =>
    clientIdOf(ctx) !== undefined && username !== undefined && privateKey !== undefined

  async function exchange(
    ctx: FlowContext,
    params: GrantParams,
    aud: string | undefined,
  ): Promise<FlowResult> {
    try {
      return tokenResult(await callTokenEndpoint(ctx, params), undefined, renewOwn)
    } catch (err) {
      throw withHint(err, aud)
    }
  }

  async function signed(ctx: FlowContext, params: GrantParams): Promise<FlowResult> {
    const iss = clientIdOf(ctx)
    const missing = [
      iss === undefined && "clientId (jwtBearer({ clientId }) or the connection's oauth2 option)",
      username === undefined && 'username',
      privateKey === undefined && 'privateKey',
    ].filter(Boolean)
    if (iss === undefined || username === undefined || privateKey === undefined) {
      throw new TypeError(
        `jwtBearer() needs ${missing.join(', ')} to sign an assertion; or pass one you signed: authorize({ grant_type: JWT_BEARER_GRANT_TYPE, assertion })`,
      )
    }
    key ??= importPrivateKey(privateKey)
    const aud = audience ?? audienceFor(ctx.loginUrl)
    const assertion = await signAssertion(await key, { iss, sub: username, aud, expiresIn })
    return exchange(ctx, { ...params, assertion, client_id: params.client_id ?? iss }, aud)
  }

  /** Renews a session this flow made: a fresh assertion, or a clear error when it cannot sign. */
  function renewOwn(ctx: FlowContext): Promise<FlowResult> {
    if (canSign(ctx)) return signed(ctx, { grant_type: JWT_BEARER_GRANT_TYPE })
    return Promise.reject(
      new SfAuthError(
        `The session expired and ${NAME} cannot renew it: the JWT bearer flow has no refresh token, and renewing means signing a new assertion, which needs a private key. Pass clientId, username and privateKey to jwtBearer({...}), or authorize again with a new assertion`,
        { errorCode: 'INVALID_SESSION_ID', status: 401 },
      ),
    )
  }

  return {
    name: NAME,
    grantTypes: [JWT_BEARER_GRANT_TYPE],
    authorize(ctx, params) {
      if (params.assertion) {
        const clientId = params.client_id ?? clientIdOf(ctx)
        return exchange(ctx, { ...params, ...(clientId ? { client_id: clientId } : {}) }, undefined)
      }
      return signed(ctx, params)
    },
    renewSession(ctx) {
      return canSign(ctx) ? signed(ctx, { grant_type: JWT_BEARER_GRANT_TYPE }) : undefined
    },
    logout(ctx, session) {
      return session.kind === 'oauth2' ? revokeSession(ctx.http, session) : undefined
    },
  }
}
