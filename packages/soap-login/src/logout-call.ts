import type { Http } from '@sfauth/core'
import { SfAuthError } from '@sfauth/core'
import { PARTNER_NS, sendSoap } from './soap-request.js'
import { childOf, readSoapBody } from './soap-response.js'
import { escapeXml } from './xml-text.js'

/**
 * Calls the Partner API `logout()` for `sessionId` on `instanceUrl`. A session Salesforce no
 * longer knows (`INVALID_SESSION_ID`) counts as logged out.
 *
 * @throws {SfAuthError} any other fault, with its code and faultstring; transport and format
 *   errors as in {@link readSoapBody}.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_logout.htm
 */
export async function logoutCall(
  http: Http,
  instanceUrl: string,
  version: string,
  sessionId: string,
): Promise<void> {
  const secrets = [sessionId]
  const res = await sendSoap(http, {
    url: `${instanceUrl}/services/Soap/u/${version}`,
    action: 'logout',
    header: `<SessionHeader xmlns="${PARTNER_NS}"><sessionId>${escapeXml(sessionId)}</sessionId></SessionHeader>`,
    body: `<logout xmlns="${PARTNER_NS}"/>`,
    secrets,
  })
  try {
    const body = readSoapBody(res, { what: 'SOAP logout', secrets })
    if (!childOf(body, 'logoutResponse')) {
      throw new SfAuthError('SOAP logout answered without a logoutResponse', {
        errorCode: 'ERR_INVALID_RESPONSE',
        status: res.status,
      })
    }
  } catch (err) {
    if (err instanceof SfAuthError && err.errorCode === 'INVALID_SESSION_ID') return
    throw err
  }
}
