/**
 * Newest API version the emulator reports, and the last one at which SOAP login() works.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login.htm
 */
export const LATEST_VERSION = '64.0'

/** Versions listed by `GET /services/data`, oldest first as Salesforce lists them. */
export const VERSIONS = ['60.0', '61.0', '62.0', '63.0', '64.0']

/** Whether a `NN.N` version string is above the given one. */
export function versionAbove(version: string, limit: string): boolean {
  return Number.parseFloat(version) > Number.parseFloat(limit)
}
