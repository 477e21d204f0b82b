import {
  baseUrl,
  type Flow,
  type FlowContext,
  type FlowResult,
  originOf,
  type Session,
} from '@sfauth/core/flow'
import { isApiVersion, soapVersion } from './api-version.js'
import { loginCall } from './login-call.js'
import type { SoapLoginResult } from './login-result.js'
import { logoutCall } from './logout-call.js'
import { ReloginGuard } from './relogin-guard.js'
import { isXmlText } from './xml-text.js'

/**
 * Options of {@link soapLogin}.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login.htm
 * @example
 * ```ts
 * soapLogin({ loginUrl: 'https://test.salesforce.com', version: '64.0', relogin: false })
 * ```
 */
export interface SoapLoginOptions {
  /**
   * SOAP API version of the login and logout calls, such as `'64.0'`. Defaults to the
   * connection's version, capped at `'64.0'`: Salesforce's `login()` is unavailable from 65.0.
   * A later version is sent as asked, and Salesforce's fault comes back as it is.
   */
  version?: string
  /**
   * Log in again with the same username and password when the session expires (default `true`,
   * as jsforce does). The credentials are then kept in memory, in a closure the connection holds,
   * and nowhere else. `false` keeps nothing: an expired session is an error.
   *
   * Re-logins are paced: when Salesforce rejects the session of a re-login less than a minute after
   * it was made, two times in a row, the next re-login waits 30 s, then 60 s, doubling up to 15 minutes
   * (a session that lives longer resets this). Meanwhile a request that needs a re-login rejects
   * with `ERR_RELOGIN_BACKOFF` and sends no password, so a misconfigured org cannot make every
   * request a password login and lock the user out.
   */
  relogin?: boolean
  /** Login URL for this flow; defaults to the connection's `loginUrl`. */
  loginUrl?: string
}

/**
 * The flow {@link soapLogin} returns: username/password login and logout of SOAP sessions.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_logout.htm
 * @example
 * ```ts
 * const conn = new Connection({ flows: [soapLogin()] })
 * ```
 */
export interface SoapLoginFlow extends Flow {
  readonly name: '@sfauth/soap-login'
  login(ctx: FlowContext, username: string, password: string): Promise<SoapLoginFlowResult>
  logout(ctx: FlowContext, session: Session): Promise<void> | undefined
}

/**
 * What a {@link SoapLoginFlow} login resolves with; `response` is Salesforce's login result.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login_loginresult.htm
 * @example
 * ```ts
 * const { session, response } = await soapLogin().login(ctx, username, password)
 * ```
 */
export interface SoapLoginFlowResult extends FlowResult {
  response: SoapLoginResult
}

/**
 * Username/password login through the SOAP Partner API `login()` call, which needs no connected
 * app, and SOAP `logout()` for SOAP sessions (including a `sessionId` given to the connection).
 *
 * `login()` is unavailable from API version 65.0 and retires in Summer '27; new code should use
 * OAuth 2.0 (`@sfauth/oauth2`, `@sfauth/jwt`, `@sfauth/client-credentials`).
 *
 * @param options see {@link SoapLoginOptions}.
 * @returns a flow to register with `new Connection({ flows: [soapLogin()] })`.
 * @throws {TypeError} for a malformed `version` or `loginUrl`, or a `relogin` that is not boolean.
 * @throws {SfAuthError} `ERR_INSECURE_URL` for an `http://` `loginUrl` that is not loopback.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login.htm
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_logout.htm
 * @example
 * ```ts
 * import { Connection } from '@sfauth/core'
 * import { soapLogin } from '@sfauth/soap-login'
 *
 * const conn = new Connection({ loginUrl: 'https://test.salesforce.com', flows: [soapLogin()] })
 * const userInfo = await conn.login(username, password + securityToken)
 * console.log(conn.accessToken, conn.instanceUrl, userInfo.id, userInfo.organizationId)
 * await conn.logout()
 * ```
 */
export function soapLogin(options: SoapLoginOptions = {}): SoapLoginFlow {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('soapLogin(options) takes an object: { version?, relogin?, loginUrl? }')
  }
  const { version, relogin = true } = options
  if (version !== undefined && !isApiVersion(version)) {
    throw new TypeError(`soapLogin: version must look like '64.0', got ${JSON.stringify(version)}`)
  }
  if (typeof relogin !== 'boolean') {
    throw new TypeError('soapLogin: relogin must be true or false')
  }
  const ownLoginUrl =
    options.loginUrl === undefined ? undefined : baseUrl(options.loginUrl, 'soapLogin loginUrl')

  async function signIn(
    ctx: FlowContext,
    username: string,
    password: string,
    guard: ReloginGuard | undefined,
  ): Promise<SoapLoginFlowResult> {
    if (!isXmlText(username)) {
      throw new TypeError('username contains a character that XML 1.0 cannot carry')
    }
    if (!isXmlText(password)) {
      throw new TypeError('password contains a character that XML 1.0 cannot carry')
    }
    const loginUrl = ownLoginUrl ?? ctx.loginUrl
    const result = await loginCall(
      ctx.http,
      loginUrl,
      soapVersion(version, ctx.version),
      username,
      password,
    )
    const { sessionId, userId, userInfo } = result
    const session: Session = {
      accessToken: sessionId,
      instanceUrl: originOf(result.serverUrl, 'serverUrl in the SOAP login response'),
      kind: 'soap',
      userInfo: {
        id: userId,
        organizationId: userInfo.organizationId,
        url: `${loginUrl}/id/${userInfo.organizationId}/${userId}`,
      },
    }
    // The closure is the only place the credentials live; the connection keeps it privately.
    // One guard per login, handed on to every re-login it makes, paces the re-logins.
    const pace = guard ?? new ReloginGuard()
    return relogin
      ? {
          session,
          response: result,
          renewThis: (next) => pace.run(() => signIn(next, username, password, pace)),
        }
      : { session, response: result }
  }

  return {
    name: '@sfauth/soap-login',
    login: (ctx, username, password) => signIn(ctx, username, password, undefined),
    logout(ctx, session) {
      if (session.kind !== 'soap') return undefined
      return logoutCall(
        ctx.http,
        session.instanceUrl,
        soapVersion(version, ctx.version),
        session.accessToken,
      )
    },
  }
}
