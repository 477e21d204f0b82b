export { OAuth2 } from './oauth2.js'
export {
  type AuthorizationCallback,
  type ParseAuthorizationCallbackOptions,
  parseAuthorizationCallback,
} from './parse-authorization-callback.js'
export {
  parseSfdxAuthUrl,
  type SfdxAuthFields,
  type SfdxAuthSource,
  toSfdxAuthUrl,
} from './sfdx-auth-url.js'
export type {
  AuthorizationRequest,
  AuthorizationUrlParams,
  OAuth2Options,
  TokenRequestParams,
} from './types.js'
