import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { isRetired, LAST_SOAP_LOGIN_VERSION, versionAbove } from './api-version.js'
import { apiPasswordMatches } from './grant-password.js'
import type { RequestContext } from './request-context.js'
import { siteUrl } from './request-context.js'
import { xml } from './responses.js'
import {
  apiFault,
  apiNamespace,
  clientFault,
  loginResponse,
  logoutResponse,
  type Wsdl,
} from './soap-envelopes.js'
import type { EmulatorState } from './state.js'

/**
 * Namespace prefixes are dropped and every value stays a string (a password of digits must not
 * become a number). The parser decodes no entities at all: any DOCTYPE is refused before parsing,
 * and {@link decodeXmlText} decodes XML's five built-in entities and numeric character references
 * in one pass, as a conforming XML parser does (`&#39;` and `&apos;` are the same apostrophe).
 */
const parser = /* @__PURE__ */ new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
})

const BUILT_IN_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
}

/** Decodes built-in entities and `&#N;` / `&#xN;` references once; anything else stays as written. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code =
        ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10)
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return BUILT_IN_ENTITIES[ref] ?? whole
  })
}

const INVALID_LOGIN = 'Invalid username, password, security token; or user locked out.'

/** The fault of a login() in an org that has SOAP login() off, as clients quote it. */
const SOAP_LOGIN_DISABLED =
  'SOAP API login() is disabled by default in this org. Contact the org administrator to enable SOAP API login().'

/**
 * Faultstring text quoted verbatim by several client test suites.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm#exceptioncode
 *
 * A template literal, so the built file keeps `\u2019` escaped (check:packages wants ASCII).
 */
const MUST_USE_SECURITY_TOKEN = `Invalid username, password, security token; or user locked out. Are you at a new location? When accessing Salesforce--either via a desktop client or the API--from outside of your company\u2019s trusted networks, you must add a security token to your password to log in. To get your new security token, log in to Salesforce. From your personal settings, enter Reset My Security Token in the Quick Find box, then select Reset My Security Token.`

type Node = Record<string, unknown>

/** The parsed SOAP request, or why it is not one. */
export type SoapCall =
  | { operation: 'login'; username: string; password: string }
  | { operation: 'logout'; sessionId: string }
  | { operation: 'fault'; message: string; logout: boolean }

/** Parses a SOAP request body into the call it makes. */
export function parseSoapCall(body: string, wsdl: Wsdl): SoapCall {
  if (/<!DOCTYPE/i.test(body)) {
    return {
      operation: 'fault',
      message:
        'DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.',
      logout: false,
    }
  }
  const valid = XMLValidator.validate(body)
  if (valid !== true) return { operation: 'fault', message: valid.err.msg, logout: false }
  const envelope = field(parser.parse(body), 'Envelope')
  const soapBody = field(envelope, 'Body')
  if (!soapBody)
    return { operation: 'fault', message: 'Missing SOAP Envelope or Body', logout: false }
  const operation = Object.keys(soapBody).find((key) => key !== '#text')
  if (operation === 'login') {
    const login = field(soapBody, 'login')
    return {
      operation,
      username: leaf(login, 'username').trim(),
      password: leaf(login, 'password'),
    }
  }
  if (operation === 'logout') {
    const header = field(field(envelope, 'Header'), 'SessionHeader')
    return { operation, sessionId: leaf(header, 'sessionId').trim() }
  }
  return {
    operation: 'fault',
    message: `No operation available for request {${apiNamespace(wsdl)}}${operation ?? ''}, please check the WSDL for the service.`,
    logout: false,
  }
}

function field(node: unknown, name: string): Node | undefined {
  if (!node || typeof node !== 'object') return undefined
  const value = (node as Node)[name]
  if (value && typeof value === 'object') return value as Node
  // An empty element such as <logout/> parses to an empty string; it still names the operation.
  return value === '' ? {} : undefined
}

function leaf(node: Node | undefined, name: string): string {
  const value = node?.[name]
  return typeof value === 'string' ? decodeXmlText(value) : ''
}

/**
 * `POST /services/Soap/u/VERSION` (partner) and `/services/Soap/c/VERSION` (enterprise): login()
 * and logout(). Faults are HTTP 500.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login.htm
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_logout.htm
 */
export function soapEndpoint(
  ctx: RequestContext,
  state: EmulatorState,
  call: SoapCall,
  wsdl: Wsdl,
  version: string,
): Response {
  if (call.operation === 'fault') return xml(clientFault(call.message), 500)
  if (call.operation === 'logout') {
    const session = state.peekSession(call.sessionId)
    if (!session) {
      return xml(
        apiFault(
          wsdl,
          'UnexpectedErrorFault',
          'INVALID_SESSION_ID',
          'Invalid Session ID found in SessionHeader: Illegal Session',
        ),
        500,
      )
    }
    state.endSession(session.token)
    return xml(logoutResponse(wsdl))
  }
  if (isRetired(version)) {
    // Inferred from client fixtures: no Salesforce page shows the fault for a retired version.
    return xml(
      apiFault(
        wsdl,
        'UnexpectedErrorFault',
        'UNSUPPORTED_API_VERSION',
        `Invalid Api version specified on URL: ${version} is no longer supported`,
      ),
      500,
    )
  }
  if (versionAbove(version, LAST_SOAP_LOGIN_VERSION)) {
    return xml(
      apiFault(
        wsdl,
        'UnexpectedErrorFault',
        'INVALID_OPERATION',
        `The SOAP Login operation is not available in the API version specified (${version}). Refer to the documentation for supported versions.`,
      ),
      500,
    )
  }
  if (state.soapLoginDisabled) {
    return xml(
      apiFault(wsdl, 'UnexpectedErrorFault', 'INVALID_OPERATION', SOAP_LOGIN_DISABLED),
      500,
    )
  }
  const user = state.findUser(call.username)
  const loginFault = (code: string, message: string) =>
    xml(apiFault(wsdl, 'LoginFault', code, message), 500)
  if (!user) return loginFault('INVALID_LOGIN', INVALID_LOGIN)
  if (!apiPasswordMatches(user, call.password)) {
    return user.securityToken && call.password === user.password
      ? loginFault('LOGIN_MUST_USE_SECURITY_TOKEN', MUST_USE_SECURITY_TOKEN)
      : loginFault('INVALID_LOGIN', INVALID_LOGIN)
  }
  if (user.apiDisabled) {
    return loginFault('API_DISABLED_FOR_ORG', 'API is not enabled for this Organization or Partner')
  }
  if (!state.recordLogin(user)) {
    // Inferred wire form: Salesforce documents the LOGIN_RATE_EXCEEDED code, not the fault.
    return loginFault('LOGIN_RATE_EXCEEDED', 'Login Rate Exceeded')
  }
  const passwordExpired = user.passwordExpired === true
  const session = state.createSession({
    user,
    scope: 'api',
    instanceUrl: ctx.instanceUrl,
    idUrl: `${siteUrl(ctx)}/id/${user.orgId}/${user.userId}`,
    ...(passwordExpired ? { restricted: true } : {}),
  })
  const org15 = user.orgId.slice(0, 15)
  const host = ctx.url.hostname
  return xml(
    loginResponse(wsdl, {
      metadataServerUrl: `${ctx.instanceUrl}/services/Soap/m/${version}/${org15}`,
      passwordExpired,
      sandbox: host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com'),
      serverUrl: `${ctx.instanceUrl}/services/Soap/${wsdl === 'partner' ? 'u' : 'c'}/${version}/${org15}`,
      sessionId: session.token,
      userId: user.userId,
      userInfo: {
        accessibilityMode: false,
        chatterExternal: false,
        currencySymbol: '$',
        orgAttachmentFileSizeLimit: 5242880,
        orgDefaultCurrencyIsoCode: 'USD',
        orgDefaultCurrencyLocale: 'en_US',
        orgDisallowHtmlAttachments: false,
        orgHasPersonAccounts: false,
        organizationId: user.orgId,
        organizationMultiCurrency: false,
        organizationName: state.organization.name ?? 'Acme',
        profileId: '00egK000000sfAuQAI',
        roleId: null,
        sessionSecondsValid: state.sessionSeconds,
        userDefaultCurrencyIsoCode: null,
        userEmail: user.email,
        userFullName: user.fullName,
        userId: user.userId,
        userLanguage: 'en_US',
        userLocale: 'en_US',
        userName: user.username,
        userTimeZone: 'America/Los_Angeles',
        userType: 'Standard',
        userUiSkin: 'Theme3',
      },
    }),
  )
}
