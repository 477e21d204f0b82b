import type { Http } from '@sfauth/core/flow'
import { SfAuthError } from '@sfauth/core/flow'
import { isPastLastLoginVersion, LAST_LOGIN_VERSION } from './api-version.js'
import { parseLoginResult, type SoapLoginResult } from './login-result.js'
import { logoutCall } from './logout-call.js'
import { PARTNER_NS, sendSoap } from './soap-request.js'
import { readSoapBody } from './soap-response.js'
import { escapeXml } from './xml-text.js'

const TOKEN_HINT =
  ' (Outside the trusted IP ranges of the org, append the security token to the password: password + token.)'

function versionHint(version: string): string {
  return ` (SOAP login() is unavailable from API version 65.0 and this call used ${version}: use soapLogin({ version: '${LAST_LOGIN_VERSION}' }), or move to OAuth 2.0 with @sfauth/oauth2, @sfauth/jwt or @sfauth/client-credentials.)`
}

function hintFor(version: string): (errorCode: string) => string | undefined {
  return (errorCode) => {
    if (isPastLastLoginVersion(version)) return versionHint(version)
    if (errorCode === 'INVALID_LOGIN' || errorCode === 'LOGIN_MUST_USE_SECURITY_TOKEN') {
      return TOKEN_HINT
    }
    return undefined
  }
}

/**
 * Calls the Partner API `login()` and returns its result. A result whose password has expired is
 * refused and its session logged out again: that session can do nothing but set a new password.
 *
 * @throws {SfAuthError} the fault code (`INVALID_LOGIN`, ...) with its faultstring and status;
 *   `INVALID_OPERATION_WITH_EXPIRED_PASSWORD` when the password has expired; `ERR_INSECURE_URL`
 *   for an http serverUrl after an https login; transport and format errors as in
 *   {@link readSoapBody} and {@link parseLoginResult}.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login.htm
 */
export async function loginCall(
  http: Http,
  loginUrl: string,
  version: string,
  username: string,
  password: string,
): Promise<SoapLoginResult> {
  const secrets = [password]
  const res = await sendSoap(http, {
    url: `${loginUrl}/services/Soap/u/${version}`,
    action: 'login',
    header: '',
    body:
      `<login xmlns="${PARTNER_NS}">` +
      `<username>${escapeXml(username)}</username>` +
      `<password>${escapeXml(password)}</password>` +
      '</login>',
    secrets,
  })
  const body = readSoapBody(res, { what: 'SOAP login', secrets, hint: hintFor(version) })
  const result = parseLoginResult(body)
  // The session goes wherever serverUrl says: a login over https must not send it over plain
  // http, not even to a loopback host (a local Redis, a debug port).
  if (new URL(loginUrl).protocol === 'https:' && !result.serverUrl.startsWith('https:')) {
    throw new SfAuthError(
      `SOAP login over https answered a serverUrl on plain http (${new URL(result.serverUrl).origin}); the session was not used`,
      { errorCode: 'ERR_INSECURE_URL', status: res.status },
    )
  }
  if (result.passwordExpired) {
    await logoutCall(http, new URL(result.serverUrl).origin, version, result.sessionId).catch(
      // The session is never handed out, so a failed logout leaves nothing usable behind.
      () => undefined,
    )
    throw new SfAuthError(
      'The password of this user has expired: Salesforce answered with a session that can only set a new password. Set a new password (in Salesforce, or with the SOAP setPassword() call), then log in again.',
      { errorCode: 'INVALID_OPERATION_WITH_EXPIRED_PASSWORD', status: res.status },
    )
  }
  return result
}
