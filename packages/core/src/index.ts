// `@sfauth/core` for applications: the connection, the error, and the types an app touches.
// What flow packages use to build a flow lives in `@sfauth/core/flow` (./flow.ts).
export type { Callback } from './callback.js'
export {
  Connection,
  type ConnectionEvents,
  type ConnectionOptions,
  DEFAULT_LOGIN_URL,
  DEFAULT_VERSION,
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
// Apps print tokens too (examples, logs): the one helper kept here as well as in /flow.
export { maskToken } from './redact.js'
export type { Http, HttpOptions, HttpRequest, HttpResponse } from './transport.js'
export type { ClientInfo, Session, TokenResponse, UserInfo } from './types.js'
