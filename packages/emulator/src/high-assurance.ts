import { json } from './responses.js'
import type { EmulatorState, Session } from './state.js'

/**
 * The REST API's refusal of a standard session when the org requires a high-assurance one
 * (`requireHighAssurance`): 401 with the same code as an expired session, and a message that
 * says otherwise. Clients that renew on every `INVALID_SESSION_ID` only get another standard
 * session, so they must read the message.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.security_auth_require_ha_session.htm
 */
export function highAssuranceRefusal(state: EmulatorState, session: Session): Response | undefined {
  if (!state.requireHighAssurance || session.highAssurance) return undefined
  return json(
    [
      {
        message: 'This session is not valid for use with the REST API',
        errorCode: 'INVALID_SESSION_ID',
      },
    ],
    401,
  )
}
