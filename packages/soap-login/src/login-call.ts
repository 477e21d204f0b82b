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

/** Where the move away from password logins is written up (in the repository, not the package). */
const MIGRATION_GUIDE = 'docs/migrating-from-password-logins.md'

/** The flows that replace SOAP login(), as every retirement hint names them. */
const MOVE_TO = `move to OAuth 2.0: @sfauth/jwt (jwtBearer()) for an integration user, @sfauth/client-credentials (clientCredentials()) from server to server, or the web server flow of @sfauth/oauth2 for people; see ${MIGRATION_GUIDE}`

function versionHint(version: string): string {
  return ` (SOAP login() is unavailable from API version 65.0 and this call used ${version}: use soapLogin({ version: '${LAST_LOGIN_VERSION}' }) until Summer '27, when login() retires at every version, or ${MOVE_TO}.)`
}

const DISABLED_HINT = ` (SOAP login() is off in this org, as in every org created since it began to be retired, and it retires at every API version in Summer '27: rather than ask the admin to turn it on, ${MOVE_TO}.)`

function hintFor(version: string): (errorCode: string, message: string) => string | undefined {
  return (errorCode, message) => {
    if (isPastLastLoginVersion(version)) return versionHint(version)
    if (errorCode === 'INVALID_OPERATION' && /login\(\) is disabled/i.test(message)) {
      return DISABLED_HINT
    }
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
