// `@sfauth/core/flow` for flow authors: everything `@sfauth/core` has, plus what a flow package
// needs to build a `Flow` (token endpoint, transport, redaction, SOAP logout, URL checks, the
// callback adapter). Applications import `@sfauth/core`, which re-exports its part of this module:
// core ships as one runtime file (dist/flow.js) plus an entry that only re-exports (dist/index.js),
// so an app that imports core and a flow loads three files, not four (ARCHITECTURE.md, "One
// runtime file").
export { type Callback, withCallback } from './callback.js'
export { DEFAULT_LOGIN_URL, DEFAULT_VERSION } from './connection/options.js'
export {
  Connection,
  type ConnectionEvents,
  type ConnectionOptions,
  type OAuth2Flow,
  type RequestOptions,
} from './connection.js'
export {
  SfAuthError,
  type SfAuthErrorCode,
  type SfAuthErrorCodes,
  type SfAuthErrorOptions,
  type SfAuthLibraryErrorCode,
} from './errors.js'
export type {
  Flow,
  FlowContext,
  FlowResult,
  GrantParams,
  RenewalCoordinationOptions,
} from './flow-types.js'
export { oauthEndpoints } from './oauth-endpoints.js'
export { type ErrorResponseLike, errorFromResponse, serverError } from './parse-error.js'
export { maskToken, scrub } from './redact.js'
export { callRevokeEndpoint, revokeSession } from './revocation.js'
export { safeCause } from './safe-cause.js'
export { soapLogout } from './soap-logout.js'
export { callTokenEndpoint, type TokenRequestOptions } from './token-request.js'
export { sessionFromToken, tokenResult } from './token-session.js'
export {
  createHttp,
  type Http,
  type HttpOptions,
  type HttpRequest,
  type HttpResponse,
  parseJsonBody,
} from './transport.js'
export type { ClientInfo, Session, TokenResponse, UserInfo } from './types.js'
export {
  baseUrl,
  carriesCredentials,
  isLoopbackHost,
  originOf,
  secureUrl,
} from './url.js'
