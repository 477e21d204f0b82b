/**
 * Newest API version the emulator serves over REST (Spring '26).
 *
 * @see https://help.salesforce.com/s/articleView?id=000354473&type=1
 */
export const LATEST_VERSION = '66.0'

/**
 * The last API version at which SOAP login() works; later versions fault.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login.htm
 */
export const LAST_SOAP_LOGIN_VERSION = '64.0'

/** Oldest supported version: 21.0 to 30.0 were retired in Summer '25 (Help 000354473). */
const OLDEST_SUPPORTED = 31
/** Oldest retired version: Salesforce answers these as gone rather than unknown. */
const OLDEST_RETIRED = 21

/** Versions listed by `GET /services/data`, oldest first as Salesforce lists them. */
export const VERSIONS: readonly string[] = /* @__PURE__ */ Array.from(
  { length: Number.parseInt(LATEST_VERSION, 10) - OLDEST_SUPPORTED + 1 },
  (_, i) => `${OLDEST_SUPPORTED + i}.0`,
)

/** Whether a `NN.N` version string is above the given one. */
export function versionAbove(version: string, limit: string): boolean {
  return Number.parseFloat(version) > Number.parseFloat(limit)
}

/** Whether a version is one of the retired 21.0–30.0 (answered 410 / UNSUPPORTED_API_VERSION). */
export function isRetired(version: string): boolean {
  const n = Number.parseFloat(version)
  return n >= OLDEST_RETIRED && n < OLDEST_SUPPORTED
}
