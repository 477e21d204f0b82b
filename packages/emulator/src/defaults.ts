import type { ConnectedApp, EmulatorUser } from './types.js'

/**
 * The user every emulator knows unless `users` is given. Log in with
 * `password + securityToken` through the API, or with `password` alone on the authorize page.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.user_security_token.htm
 */
export const DEFAULT_USER: Readonly<
  Required<Omit<EmulatorUser, 'passwordExpired' | 'apiDisabled'>>
> = /* @__PURE__ */ Object.freeze({
  username: 'demo@example.com',
  password: 'demo-password-1',
  securityToken: 'DEMOSECURITYTOKEN',
  userId: '005gK0000sfAuTHQA0',
  orgId: '00DgK0000sfAuTHUA0',
  email: 'demo@example.com',
  fullName: 'Demo User',
})

/**
 * The connected app every emulator knows unless `apps` is given: web server flow on the demo's
 * callbacks, password grant, JWT bearer (add a key with `addApp` to use it) and client credentials
 * running as {@link DEFAULT_USER}.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.connected_app_create_api_integration.htm
 */
export const DEFAULT_APP: Readonly<ConnectedApp> = /* @__PURE__ */ Object.freeze({
  clientId: '3MVG9sfauthDemoClientId0000000000000000000000000000000000000000000000000000000000',
  clientSecret: 'DEMOCLIENTSECRET0000000000000000000000000000000000000000000000000',
  redirectUris: /* @__PURE__ */ Object.freeze([
    'http://127.0.0.1:3000/oauth2/callback',
    'http://localhost:3000/oauth2/callback',
    'http://localhost:1717/OauthRedirect',
  ]) as string[],
  clientCredentialsUser: DEFAULT_USER.username,
  preApprovedUsers: 'all',
})
