import type { Flow } from '../flow-types.js'
import type { ClientInfo, Session } from '../types.js'
import { baseUrl, carriesCredentials, originOf } from '../url.js'

/** The default login URL (production). */
export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com'
/** The default API version. */
export const DEFAULT_VERSION = '64.0'

/** An `OAuth2` instance (from `@sfauth/oauth2`): a flow that also carries client information. */
export type OAuth2Flow = Flow & ClientInfo

/**
 * Options of {@link Connection}. The names are jsforce's.
 * @see https://jsforce.github.io/document/#connection
 */
export interface ConnectionOptions<
  O extends OAuth2Flow | ClientInfo | undefined = OAuth2Flow | ClientInfo | undefined,
> {
  /** Default `'https://login.salesforce.com'`; a sandbox (`https://test.salesforce.com`) or My Domain URL. */
  loginUrl?: string
  instanceUrl?: string
  accessToken?: string
  refreshToken?: string
  /** SOAP-style name of `instanceUrl`: a server URL such as `https://na1.salesforce.com/services/Soap/u/64.0/00D…`. */
  serverUrl?: string
  /** SOAP-style name of `accessToken`. */
  sessionId?: string
  /** API version such as `'64.0'`. */
  version?: string
  /** An `OAuth2` instance (registered as a flow), or client information any flow may read. */
  oauth2?: O
  /** Flows to register: `[soapLogin()]`, `[jwtBearer({...})]`, ... */
  flows?: Flow[]
  /** Transport override (tests, proxies, edge runtimes). */
  fetch?: typeof fetch
  /** Milliseconds per HTTP call. */
  timeout?: number
}

/** The session fields a connection holds; a {@link Session} whose token may still be missing. */
export type SessionFields = Partial<Session>

/** Connection options after their checks: what the constructor keeps. */
export interface CheckedOptions {
  loginUrl: string
  version: string
  oauth2: OAuth2Flow | ClientInfo | undefined
  timeout: number | undefined
  /** The session given in the options (possibly only an instance URL, or only a refresh token). */
  initial: SessionFields
}

/**
 * Checks connection options and normalises the session they carry. Throws `TypeError` for what
 * a programmer got wrong; never touches the network.
 */
export function checkOptions(options: ConnectionOptions): CheckedOptions {
  const oauth2 = options.oauth2
  if (
    oauth2 !== undefined &&
    (typeof oauth2 !== 'object' || oauth2 === null || typeof oauth2.clientId !== 'string')
  ) {
    throw new TypeError('oauth2 must be an OAuth2 instance or { clientId, clientSecret?, ... }')
  }
  // Client URLs are shown by toJSON(): one with user:password@ in it is refused, not echoed.
  for (const what of ['redirectUri', 'loginUrl'] as const) {
    const value = oauth2?.[what]
    if (typeof value === 'string' && carriesCredentials(value)) {
      throw new TypeError(`oauth2.${what} must not carry credentials (user:password@)`)
    }
  }
  const loginUrl = baseUrl(options.loginUrl ?? oauth2?.loginUrl ?? DEFAULT_LOGIN_URL, 'loginUrl')
  const version = options.version ?? DEFAULT_VERSION
  if (typeof version !== 'string' || !/^\d+\.\d$/.test(version)) {
    throw new TypeError(`version must look like '64.0'`)
  }
  if (options.timeout !== undefined && !(options.timeout > 0)) {
    throw new TypeError('timeout must be a positive number of milliseconds')
  }
  const instance = options.instanceUrl ?? options.serverUrl
  const accessToken = options.accessToken ?? options.sessionId
  if (accessToken !== undefined && instance === undefined) {
    throw new TypeError(
      'accessToken / sessionId needs instanceUrl / serverUrl to know where to use it',
    )
  }
  const initial: SessionFields = {
    ...(instance === undefined
      ? {}
      : { instanceUrl: originOf(instance, options.instanceUrl ? 'instanceUrl' : 'serverUrl') }),
    ...(accessToken === undefined ? {} : { accessToken }),
    ...(options.refreshToken === undefined ? {} : { refreshToken: options.refreshToken }),
    ...(accessToken === undefined
      ? {}
      : { kind: options.accessToken === undefined ? 'soap' : 'oauth2' }),
  }
  return { loginUrl, version, oauth2, timeout: options.timeout, initial }
}
