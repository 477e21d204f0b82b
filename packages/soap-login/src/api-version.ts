/**
 * The last API version at which SOAP `login()` works: it is unavailable from 65.0 and retires
 * altogether in Summer '27. `soapLogin()` uses it when the connection's version is later.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login.htm
 * @example
 * ```ts
 * soapLogin({ version: LAST_LOGIN_VERSION }) // pin it, whatever the connection's REST version
 * ```
 */
export const LAST_LOGIN_VERSION = '64.0'

const VERSION = /^\d+\.\d$/

/** True for a version string such as `'64.0'`. */
export function isApiVersion(value: unknown): value is string {
  return typeof value === 'string' && VERSION.test(value)
}

/** True when `version` is one at which Salesforce no longer offers SOAP `login()`. */
export function isPastLastLoginVersion(version: string): boolean {
  return Number.parseFloat(version) > Number.parseFloat(LAST_LOGIN_VERSION)
}

/**
 * The SOAP version to use: the one asked for, else the connection's as long as `login()` still
 * exists there, else {@link LAST_LOGIN_VERSION}. The REST version of a connection may move on
 * (65.0+) without breaking its SOAP login.
 */
export function soapVersion(requested: string | undefined, connectionVersion: string): string {
  if (requested !== undefined) return requested
  return isPastLastLoginVersion(connectionVersion) ? LAST_LOGIN_VERSION : connectionVersion
}
