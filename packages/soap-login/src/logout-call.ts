import { type Http, soapLogout } from '@sfauth/core/flow'

/**
 * Calls the Partner API `logout()` for `sessionId` on `instanceUrl`: core's
 * {@link soapLogout}, the one SOAP logout every package shares (success is a `200` with a
 * `logoutResponse`; `INVALID_SESSION_ID` counts as logged out). It needs no XML parser, so
 * `@sfauth/session` logs session IDs out by the same rule without fast-xml-parser.
 *
 * @throws {SfAuthError} as {@link soapLogout}.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_logout.htm
 */
export function logoutCall(
  http: Http,
  instanceUrl: string,
  version: string,
  sessionId: string,
): Promise<void> {
  return soapLogout(http, instanceUrl, version, sessionId)
}
