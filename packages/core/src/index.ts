// `@sfauth/core` for applications: the connection, the error, and the types an app touches.
// What flow packages use to build a flow is in `@sfauth/core/flow` (./flow.ts), which holds all of
// core; this entry re-exports the application's part of it, so both entries share one module.
export {
  type Callback,
  type ClientInfo,
  Connection,
  type ConnectionEvents,
  type ConnectionOptions,
  DEFAULT_LOGIN_URL,
  DEFAULT_VERSION,
  type Flow,
  type FlowContext,
  type FlowResult,
  type GrantParams,
  type Http,
  type HttpOptions,
  type HttpRequest,
  type HttpResponse,
  // Apps print tokens too (examples, logs): the one helper shared with flow authors.
  maskToken,
  type OAuth2Flow,
  type RenewalCoordinationOptions,
  type RequestOptions,
  type Session,
  SfAuthError,
  type SfAuthErrorCode,
  type SfAuthErrorCodes,
  type SfAuthErrorOptions,
  type SfAuthLibraryErrorCode,
  type TokenResponse,
  type UserInfo,
} from './flow.js'
