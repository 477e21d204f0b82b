// Written by `pnpm lists --write` from the "sfauth.grants" field of each package.json: edit
// those, not this file (a flow package adds its grant types there; `pnpm test` checks this file).

/** Which package to register for a grant type no registered flow handles. */
export const GRANT_HINTS: Readonly<Record<string, string>> = {
  client_credentials: '@sfauth/client-credentials (clientCredentials())',
  'urn:ietf:params:oauth:grant-type:jwt-bearer': '@sfauth/jwt (jwtBearer())',
  authorization_code: '@sfauth/oauth2 (new OAuth2({ clientId, ... }))',
  refresh_token: '@sfauth/oauth2 (new OAuth2({ clientId, ... }))',
  password: '@sfauth/oauth2 (new OAuth2({ clientId, ... }))',
  'urn:ietf:params:oauth:grant-type:token-exchange':
    '@sfauth/token-exchange (tokenExchange({...}))',
}
