// `@sfauth/core` for applications: the connection, the error, and the types an app touches.
// What flow packages use to build a flow (the flow's context and result, the transport, the
// session a flow makes) is in `@sfauth/core/flow` (./flow.ts), which holds all of core; this entry
// re-exports the application's part of it, so both entries share one module.
export {
  type Callback,
  type ClientInfo,
  Connection,
  type ConnectionEvents,
  type ConnectionOptions,
  DEFAULT_LOGIN_URL,
  DEFAULT_VERSION,
  type Flow,
  // Apps print tokens too (examples, logs): the one helper shared with flow authors.
  maskToken,
  type OAuth2Flow,
  type RequestOptions,
  SfAuthError,
  type SfAuthErrorCode,
  type SfAuthErrorCodes,
  type SfAuthErrorOptions,
  type SfAuthLibraryErrorCode,
  type TokenResponse,
  type UserInfo,
} from './flow.js'
