/** The environment the demo reads: `SF_*` variables, set in the shell, in `.env` or by flags. */
export type DemoEnv = Readonly<Record<string, string | undefined>>

/** Every variable the demo reads, for `--help` and the README. */
export const VARIABLES: Readonly<Record<string, string>> = {
  SF_LOGIN_URL:
    'login URL: https://login.salesforce.com (default), https://test.salesforce.com or a My Domain',
  SF_USERNAME: 'username (SOAP login, OAuth2 password, JWT bearer)',
  SF_PASSWORD: 'password (SOAP login, OAuth2 password)',
  SF_SECURITY_TOKEN: 'security token, appended to the password when set',
  SF_CLIENT_ID: 'consumer key of the connected app (OAuth2 password, web server, JWT bearer)',
  SF_CLIENT_SECRET: 'consumer secret (OAuth2 password, web server, client credentials)',
  SF_REDIRECT_URI:
    'a loopback callback URL registered on the app, e.g. http://localhost:1717/OauthRedirect (web server)',
  SF_PRIVATE_KEY_FILE: 'path of the PEM private key whose certificate is on the app (JWT bearer)',
  SF_MY_DOMAIN_URL: 'My Domain URL, e.g. https://acme.my.salesforce.com (client credentials)',
  SF_CC_CLIENT_ID: 'consumer key for client credentials, when not SF_CLIENT_ID',
  SF_CC_CLIENT_SECRET: 'consumer secret for client credentials, when not SF_CLIENT_SECRET',
  SF_ONLY: 'comma-separated step ids to run (soap-login, oauth2-password, web-server, ...)',
}

/**
 * Turns flags into variables: `--login-url=https://…` sets `SF_LOGIN_URL`, `--only=jwt-bearer`
 * sets `SF_ONLY`. Flags win over the environment.
 * @throws {TypeError} for an argument that is not a `--name=value` flag.
 */
export function envFromArgs(args: readonly string[], env: DemoEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('SF_') && value) out[name] = value
  }
  for (const arg of args) {
    const match = /^--([a-z][a-z0-9-]*)=(.*)$/.exec(arg)
    if (!match?.[1]) {
      throw new TypeError(`Unknown argument ${arg}: flags look like --login-url=https://…`)
    }
    out[`SF_${match[1].toUpperCase().replaceAll('-', '_')}`] = match[2] ?? ''
  }
  return out
}

/** With no `SF_*` variable but `SF_ONLY`, the demo runs against the local emulator. */
export function wantsRealOrg(env: DemoEnv): boolean {
  return Object.entries(env).some(([name, value]) => name !== 'SF_ONLY' && value)
}
