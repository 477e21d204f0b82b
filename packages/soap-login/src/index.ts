export { LAST_LOGIN_VERSION } from './api-version.js'
export type { SoapLoginResult, SoapUserInfo } from './login-result.js'
export {
  type SoapLoginFlow,
  type SoapLoginFlowResult,
  type SoapLoginOptions,
  soapLogin,
} from './soap-login.js'
