import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { createEmulator, DEFAULT_USER, type Emulator, type EmulatorServer } from '@sfauth/emulator'
import type { SuiteConfig } from '../suite/protocol.js'

/** One emulator on loopback, set up with what every flow of the suite needs. */
export interface EmulatorSetup {
  emu: Emulator
  server: EmulatorServer
  /** The suite configuration, less the runtime name and flow list. */
  config: Omit<SuiteConfig, 'runtime' | 'flows'>
}

const secret = () => randomBytes(24).toString('hex')

/**
 * Starts an emulator with CORS on (the browser calls it from another origin) and registers a
 * web-server app, a JWT app trusting a freshly generated RSA key, a client-credentials app, and a
 * token exchange app with a handler that maps one random subject token to the user.
 */
export async function startEmulator(): Promise<EmulatorSetup> {
  const emu = createEmulator({ cors: true })
  const server = await emu.listen()
  const { securityToken = '' } = DEFAULT_USER
  const user = { username: DEFAULT_USER.username, password: DEFAULT_USER.password, securityToken }

  const web = {
    clientId: 'sfauth-runtime-tests-web',
    clientSecret: secret(),
    redirectUri: 'http://127.0.0.1/oauth2/callback',
  }
  emu.addApp({ ...web, redirectUris: [web.redirectUri], rotateRefreshTokens: true })

  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwt = {
    clientId: 'sfauth-runtime-tests-jwt',
    username: user.username,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  }
  emu.addApp({
    clientId: jwt.clientId,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    preApprovedUsers: [user.username],
  })

  const cc = { clientId: 'sfauth-runtime-tests-cc', clientSecret: secret() }
  emu.addApp({ ...cc, clientCredentialsUser: user.username })

  const tx = {
    clientId: 'sfauth-runtime-tests-tx',
    tokenHandler: 'RuntimeTestsHandler',
    subjectToken: `idp-token-${secret()}`,
    subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token',
  }
  emu.addApp({ clientId: tx.clientId, clientSecret: secret(), requireSecret: false })
  emu.addTokenExchangeHandler({
    name: tx.tokenHandler,
    subjectTokenTypes: [tx.subjectTokenType],
    resolve: (token) => (token === tx.subjectToken ? user.username : undefined),
  })

  return { emu, server, config: { loginUrl: server.url, user, web, jwt, cc, tx } }
}
