import { createHttp, type FlowContext } from '@sfauth/core/flow'
import { DEFAULT_USER } from '@sfauth/emulator'

export const LOGIN_URL = 'https://login.salesforce.com'
export const INSTANCE = 'https://acme.my.salesforce.com'
export const username = DEFAULT_USER.username
/** SOAP login wants the security token appended to the password. */
export const password = `${DEFAULT_USER.password}${DEFAULT_USER.securityToken}`

/** A flow context as a connection lends it, for calling a flow directly. */
export function flowContext(overrides: Partial<FlowContext> = {}): FlowContext {
  return {
    loginUrl: LOGIN_URL,
    version: '64.0',
    client: undefined,
    instanceUrl: undefined,
    session: undefined,
    http: createHttp(),
    ...overrides,
  }
}
