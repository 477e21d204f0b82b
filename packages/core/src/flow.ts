// `@sfauth/core/flow` for flow authors: everything a flow package needs to build a `Flow`
// (token endpoint, transport, redaction, SOAP logout, URL checks, the callback adapter).
// Applications import `@sfauth/core`.
export { type Callback, withCallback } from './callback.js'
export {
  SfAuthError,
  type SfAuthErrorCode,
  type SfAuthErrorCodes,
  type SfAuthErrorOptions,
  type SfAuthLibraryErrorCode,
} from './errors.js'
export type { Flow, FlowContext, FlowResult, GrantParams } from './flow-types.js'
export { type ErrorResponseLike, errorFromResponse } from './parse-error.js'
export { maskToken, scrub } from './redact.js'
export { soapLogout } from './soap-logout.js'
export {
  oauthEndpoints,
  parseIdUrl,
  requestToken,
  revokeSession,
  revokeToken,
  sessionFromToken,
  type TokenRequestOptions,
  tokenResult,
  verifyTokenSignature,
} from './token-endpoint.js'
export {
  createHttp,
  type Http,
  type HttpOptions,
  type HttpRequest,
  type HttpResponse,
  parseJsonBody,
} from './transport.js'
export type { ClientInfo, Session, TokenResponse, UserInfo } from './types.js'
export { baseUrl, isLoopbackHost, originOf, secureUrl } from './url.js'
