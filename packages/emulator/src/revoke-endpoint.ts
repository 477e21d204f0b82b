import { oauthError } from './responses.js'
import type { EmulatorState } from './state.js'

/** JSONP callback names are restricted so the answer can never inject script. */
const CALLBACK_NAME = /^[A-Za-z_$][\w$.]*$/

/**
 * `POST|GET /services/oauth2/revoke?token=…`: revokes an access token, SOAP session id or refresh
 * token (a refresh token takes its access tokens with it). 200 with an empty body on success;
 * `callback=fn` answers JSONP instead.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm
 */
export function revokeEndpoint(state: EmulatorState, params: URLSearchParams): Response {
  const token = params.get('token') ?? ''
  let revoked = false
  const family = state.families.get(token)
  if (family && !family.revoked && family.current === token) {
    state.revokeFamily(family)
    revoked = true
  } else if (state.peekSession(token)) {
    revoked = state.endSession(token)
  }
  const callback = params.get('callback')
  if (callback && CALLBACK_NAME.test(callback)) {
    const body = revoked ? {} : { error: 'invalid_token' }
    return new Response(`${callback}(${JSON.stringify(body)})`, {
      headers: { 'Content-Type': 'application/javascript;charset=UTF-8' },
    })
  }
  if (!revoked) return oauthError('invalid_token', 'invalid token')
  return new Response(null, { status: 200, headers: { 'Cache-Control': 'no-store' } })
}
