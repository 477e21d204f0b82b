import { readFileSync } from 'node:fs'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import type { PrivateKeyInput } from '@sfauth/jwt'
import type { OAuth2 } from '@sfauth/oauth2'
import { exportSPKI, generateKeyPair } from 'jose'
import { browserCallbackFor } from './browser-callback.js'
import type { DemoEnv } from './config.js'
import { approveInEmulator } from './consent.js'

/** Where the demo logs in, and the credentials it has for each flow. */
export interface Target {
  /** Shown in the report's heading. */
  readonly label: string
  readonly emulated: boolean
  readonly loginUrl: string
  /** Username and password (with the security token) for SOAP login and the password grant. */
  readonly user?: { username: string; password: string }
  readonly passwordClient?: { clientId: string; clientSecret?: string }
  readonly webClient?: { clientId: string; clientSecret?: string; redirectUri: string }
  readonly jwt?: { clientId: string; username: string; privateKey: PrivateKeyInput }
  readonly clientCredentials?: { clientId: string; clientSecret: string; myDomainUrl: string }
  /**
   * Starts a second org, as Salesforce will be in 2027: the username-password release update
   * enforced, the same user, the JWT bearer app. Only the emulator can play one.
   */
  retiredOrg?(): Promise<RetiredOrg>
  /** Gets the user's consent for an authorization URL; resolves with the callback URL. */
  consent(authorizationUrl: string, log: (line: string) => void): Promise<string>
  /** Makes an access token invalid on the server, as its expiry would. */
  expire(accessToken: string, oauth2: OAuth2): Promise<void>
  /** How many token requests of a grant type the server saw, when it can tell (the emulator). */
  tokenCalls?(grantType: string): number
  close(): Promise<void>
}

/** An org with password logins retired, and what each flow needs there. */
export interface RetiredOrg {
  loginUrl: string
  user: { username: string; password: string }
  passwordClient: { clientId: string; clientSecret?: string }
  jwt: { clientId: string; username: string; privateKey: PrivateKeyInput }
  close(): Promise<void>
}

/** The callback URL of the demo's web-server app in the emulator; nothing listens there. */
export const DEMO_REDIRECT_URI = 'http://127.0.0.1:8976/oauth2/callback'
/** The demo's connected apps in the emulator. */
export const DEMO_WEB_CLIENT = {
  clientId: 'sfauth-demo-web',
  clientSecret: 'sfauth-demo-web-secret',
}
export const DEMO_JWT_CLIENT_ID = 'sfauth-demo-jwt'

/**
 * Starts the emulator on 127.0.0.1 (any free port) and registers what each flow needs: an app
 * with the demo's redirect URI, and an app holding the public half of a key pair made here.
 */
export async function emulatorTarget(): Promise<Target> {
  const emu = createEmulator()
  const server = await emu.listen(0)
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const jwtApp = { clientId: DEMO_JWT_CLIENT_ID, publicKey: await exportSPKI(publicKey) }
  emu.addApp({ ...DEMO_WEB_CLIENT, redirectUris: [DEMO_REDIRECT_URI], rotateRefreshTokens: true })
  emu.addApp(jwtApp)
  const user = {
    username: DEFAULT_USER.username,
    password: DEFAULT_USER.password + DEFAULT_USER.securityToken,
  }
  const passwordClient = { clientId: DEFAULT_APP.clientId, clientSecret: DEFAULT_APP.clientSecret }
  return {
    label: `the local emulator at ${server.url} (user ${user.username})`,
    emulated: true,
    loginUrl: server.url,
    user,
    passwordClient,
    webClient: { ...DEMO_WEB_CLIENT, redirectUri: DEMO_REDIRECT_URI },
    jwt: { clientId: DEMO_JWT_CLIENT_ID, username: user.username, privateKey },
    clientCredentials: {
      clientId: DEFAULT_APP.clientId,
      clientSecret: DEFAULT_APP.clientSecret ?? '',
      // The loopback server counts as a My Domain, where client credentials are allowed.
      myDomainUrl: server.url,
    },
    // The browser login page takes the password alone; the security token is for API logins.
    async retiredOrg() {
      const org = createEmulator({ blockUsernamePasswordFlow: true })
      org.addApp(jwtApp)
      const retired = await org.listen(0)
      return {
        loginUrl: retired.url,
        user,
        passwordClient,
        jwt: { clientId: DEMO_JWT_CLIENT_ID, username: user.username, privateKey },
        close: () => retired.close(),
      }
    },
    consent: (url) => approveInEmulator(url, DEFAULT_USER.username, DEFAULT_USER.password),
    expire: async (accessToken) => emu.expireSession(accessToken),
    tokenCalls: (grantType) => emu.count('token', grantType),
    close: () => server.close(),
  }
}

/** A real org, from `SF_*` variables: each flow gets credentials only when its variables are set. */
export function orgTarget(env: DemoEnv): Target {
  const loginUrl = env.SF_LOGIN_URL ?? 'https://login.salesforce.com'
  const { SF_USERNAME: username, SF_PASSWORD: password, SF_CLIENT_ID: clientId } = env
  const clientSecret = env.SF_CLIENT_SECRET
  const user =
    username && password
      ? { username, password: password + (env.SF_SECURITY_TOKEN ?? '') }
      : undefined
  const keyFile = env.SF_PRIVATE_KEY_FILE
  const ccId = env.SF_CC_CLIENT_ID ?? clientId
  const ccSecret = env.SF_CC_CLIENT_SECRET ?? clientSecret
  return {
    label: `${loginUrl}${username ? ` (user ${username})` : ''}`,
    emulated: false,
    loginUrl,
    ...(user ? { user } : {}),
    ...(user && clientId ? { passwordClient: { clientId, clientSecret } } : {}),
    ...(clientId && env.SF_REDIRECT_URI
      ? { webClient: { clientId, clientSecret, redirectUri: env.SF_REDIRECT_URI } }
      : {}),
    ...(clientId && username && keyFile
      ? { jwt: { clientId, username, privateKey: readFileSync(keyFile, 'utf8') } }
      : {}),
    ...(ccId && ccSecret && env.SF_MY_DOMAIN_URL
      ? {
          clientCredentials: {
            clientId: ccId,
            clientSecret: ccSecret,
            myDomainUrl: env.SF_MY_DOMAIN_URL,
          },
        }
      : {}),
    consent: (url, log) => browserCallbackFor(env.SF_REDIRECT_URI ?? '', url, log),
    // Revoking an access token ends it alone; its refresh token stays valid, as after expiry.
    expire: (accessToken, oauth2) => oauth2.revokeToken(accessToken),
    close: async () => {},
  }
}
