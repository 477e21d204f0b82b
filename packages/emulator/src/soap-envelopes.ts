import { escapeMarkup as e } from './xml-escape.js'

const ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/'
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance'
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

/** The partner (`/Soap/u/`) and enterprise (`/Soap/c/`) WSDLs differ only in namespaces here. */
export type Wsdl = 'partner' | 'enterprise'

export function apiNamespace(wsdl: Wsdl): string {
  return `urn:${wsdl}.soap.sforce.com`
}

function faultNamespace(wsdl: Wsdl): string {
  return `urn:fault.${wsdl}.soap.sforce.com`
}

/** Elements in the order the WSDL declares them, which is alphabetical. */
function elements(fields: Record<string, string | boolean | number | null>): string {
  return Object.keys(fields)
    .sort()
    .map((name) => {
      const value = fields[name]
      return value === null ? `<${name} xsi:nil="true"/>` : `<${name}>${e(String(value))}</${name}>`
    })
    .join('')
}

function envelope(wsdl: Wsdl, body: string): string {
  return `${DECLARATION}<soapenv:Envelope xmlns:soapenv="${ENVELOPE_NS}" xmlns="${apiNamespace(wsdl)}" xmlns:xsi="${XSI_NS}"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
}

export interface LoginResult {
  metadataServerUrl: string
  passwordExpired: boolean
  sandbox: boolean
  serverUrl: string
  sessionId: string
  userId: string
  userInfo: Record<string, string | boolean | number | null>
}

/**
 * The `loginResponse` envelope.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login_loginresult.htm
 */
export function loginResponse(wsdl: Wsdl, result: LoginResult): string {
  const { userInfo, ...top } = result
  const topXml = elements(top)
  // userInfo sorts between userId and nothing else, so it goes last.
  return envelope(
    wsdl,
    `<loginResponse><result>${topXml}<userInfo>${elements(userInfo)}</userInfo></result></loginResponse>`,
  )
}

/**
 * The `logoutResponse` envelope.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_logout.htm
 */
export function logoutResponse(wsdl: Wsdl): string {
  return envelope(wsdl, '<logoutResponse/>')
}

/** Which `detail` element an API fault carries. */
export type FaultType = 'LoginFault' | 'UnexpectedErrorFault'

/**
 * An API fault (sent with HTTP 500): `sf:CODE`, `CODE: message`, and a typed detail element.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm
 */
export function apiFault(wsdl: Wsdl, type: FaultType, code: string, message: string): string {
  return `${DECLARATION}<soapenv:Envelope xmlns:soapenv="${ENVELOPE_NS}" xmlns:sf="${faultNamespace(wsdl)}" xmlns:xsi="${XSI_NS}"><soapenv:Body><soapenv:Fault><faultcode>sf:${e(code)}</faultcode><faultstring>${e(`${code}: ${message}`)}</faultstring><detail><sf:${type} xsi:type="sf:${type}"><sf:exceptionCode>${e(code)}</sf:exceptionCode><sf:exceptionMessage>${e(message)}</sf:exceptionMessage></sf:${type}></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
}

/** A SOAP-level fault for a request that is not a valid API call at all (HTTP 500). */
export function clientFault(message: string): string {
  return `${DECLARATION}<soapenv:Envelope xmlns:soapenv="${ENVELOPE_NS}"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>${e(message)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
}
