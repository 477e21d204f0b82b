import { Connection } from '@sfauth/core'
import { session } from '@sfauth/session'
import { queryOwnUser, type Step } from '../step.js'

/** Seed “Session ID”: a session ID and its server URL, here the SOAP login's. */
export const sessionIdStep: Step = {
  id: 'session-id',
  title: 'session ID reuse',
  needs: ['soap-login'],
  unavailable: (_target, state) => (state.soap ? undefined : 'needs the SOAP login session'),
  async run(_target, state) {
    const soap = state.soap!
    const serverUrl = `${soap.instanceUrl}/services/Soap/u/${soap.version}/${soap.userInfo?.organizationId}`
    const conn = new Connection({ serverUrl, sessionId: soap.sessionId, flows: [session()] })
    const userId = await queryOwnUser(conn, soap.userInfo?.id)
    state.sessionId = conn
    return {
      flow: '@sfauth/session',
      userId,
      instanceUrl: conn.instanceUrl,
      token: conn.sessionId,
      renewals: 0,
      detail: 'new Connection({ serverUrl, sessionId }), a REST query answered',
    }
  },
}
