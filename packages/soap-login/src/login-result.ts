import { originOf, SfAuthError } from '@sfauth/core/flow'
import { childOf, leafValue, textOf, type XmlElement } from './soap-response.js'

/**
 * `userInfo` of a SOAP login result (the WSDL's `GetUserInfoResult`), with the WSDL's types:
 * booleans and integers as such, `xsi:nil` as `null`, fields this version does not know as strings.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_getuserinfo_getuserinforesult.htm
 * @example
 * ```ts
 * conn.on('refresh', (sessionId, res) => {
 *   const { userInfo } = res as SoapLoginResult
 *   console.log(userInfo.userName, userInfo.organizationName, userInfo.sessionSecondsValid)
 * })
 * ```
 */
export interface SoapUserInfo {
  organizationId: string
  userId: string
  accessibilityMode?: boolean
  chatterExternal?: boolean
  currencySymbol?: string | null
  orgAttachmentFileSizeLimit?: number
  orgDefaultCurrencyIsoCode?: string | null
  orgDefaultCurrencyLocale?: string | null
  orgDisallowHtmlAttachments?: boolean
  orgHasPersonAccounts?: boolean
  organizationMultiCurrency?: boolean
  organizationName?: string
  profileId?: string
  roleId?: string | null
  sessionSecondsValid?: number
  userDefaultCurrencyIsoCode?: string | null
  userEmail?: string
  userFullName?: string
  userLanguage?: string
  userLocale?: string
  userName?: string
  userTimeZone?: string
  userType?: string
  userUiSkin?: string
  [field: string]: string | number | boolean | null | undefined
}

/**
 * What SOAP `login()` answers (the WSDL's `LoginResult`), with its wire names: the `res` of the
 * connection's `'refresh'` event after a re-login, and the `response` of a flow login.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login_loginresult.htm
 * @example
 * ```ts
 * const { response } = await soapLogin().login(ctx, username, password)
 * console.log(response.serverUrl, response.userInfo.organizationId)
 * ```
 */
export interface SoapLoginResult {
  metadataServerUrl?: string
  passwordExpired: boolean
  sandbox?: boolean
  serverUrl: string
  sessionId: string
  userId: string
  userInfo: SoapUserInfo
}

const BOOLEAN_FIELDS = new Set([
  'accessibilityMode',
  'chatterExternal',
  'orgDisallowHtmlAttachments',
  'orgHasPersonAccounts',
  'organizationMultiCurrency',
])
const INTEGER_FIELDS = new Set(['orgAttachmentFileSizeLimit', 'sessionSecondsValid'])

function typed(name: string, text: string | null): string | number | boolean | null {
  if (text === null) return null
  if (BOOLEAN_FIELDS.has(name)) return text === 'true'
  if (INTEGER_FIELDS.has(name) && /^-?\d+$/.test(text)) return Number(text)
  return text
}

function missing(what: string): SfAuthError {
  return new SfAuthError(`SOAP login answered HTTP 200 without ${what}`, {
    errorCode: 'ERR_INVALID_RESPONSE',
    status: 200,
  })
}

/**
 * The longest `sessionId` believed. Salesforce's are about 112 characters; anything this long
 * is not a session ID, and storing it would hand a hostile server the memory of every store.
 */
export const MAX_SESSION_ID = 4096

/** `serverUrl` must be where a token may go: an absolute https URL (http only on loopback). */
function checkServerUrl(serverUrl: string): void {
  try {
    originOf(serverUrl, 'serverUrl in the SOAP login response')
  } catch (err) {
    if (err instanceof SfAuthError) throw err
    // originOf's TypeError quotes the whole value: say what is wrong without echoing it.
    throw new SfAuthError(
      'SOAP login answered HTTP 200 with a serverUrl that is not an absolute https URL of an instance',
      { errorCode: 'ERR_INVALID_RESPONSE', status: 200 },
    )
  }
}

/**
 * Reads `loginResponse/result` from the Body of a successful SOAP login response.
 * @throws {SfAuthError} `ERR_INVALID_RESPONSE` when `serverUrl`, `sessionId`, `userId` or
 *   `userInfo.organizationId` is missing, the `sessionId` is longer than {@link MAX_SESSION_ID}
 *   or `serverUrl` is not an absolute https URL; `ERR_INSECURE_URL` for an `http://` serverUrl
 *   that is not loopback.
 */
export function parseLoginResult(body: XmlElement): SoapLoginResult {
  const result = childOf(childOf(body, 'loginResponse'), 'result')
  if (!result) throw missing('loginResponse/result')
  const userInfo: Record<string, string | number | boolean | null> = {}
  const info = childOf(result, 'userInfo')
  for (const name of Object.keys(info ?? {})) {
    const text = leafValue(info?.[name])
    if (text !== undefined && !name.startsWith('@')) userInfo[name] = typed(name, text)
  }
  const serverUrl = textOf(result, 'serverUrl')
  const sessionId = textOf(result, 'sessionId')
  const userId = textOf(result, 'userId')
  const organizationId = userInfo.organizationId
  if (!serverUrl) throw missing('serverUrl')
  if (!sessionId) throw missing('sessionId')
  if (sessionId.length > MAX_SESSION_ID) {
    throw new SfAuthError(
      `SOAP login answered HTTP 200 with a ${sessionId.length}-character sessionId, more than the ${MAX_SESSION_ID} a session ID may have; it was not kept`,
      { errorCode: 'ERR_INVALID_RESPONSE', status: 200 },
    )
  }
  checkServerUrl(serverUrl)
  if (!userId) throw missing('userId')
  if (typeof organizationId !== 'string' || organizationId === '')
    throw missing('userInfo/organizationId')
  const metadataServerUrl = textOf(result, 'metadataServerUrl')
  const sandbox = textOf(result, 'sandbox')
  return {
    ...(metadataServerUrl ? { metadataServerUrl } : {}),
    passwordExpired: textOf(result, 'passwordExpired') === 'true',
    ...(sandbox ? { sandbox: sandbox === 'true' } : {}),
    serverUrl,
    sessionId,
    userId,
    userInfo: { ...userInfo, organizationId, userId },
  }
}
