import { existsSync } from 'node:fs'
import { Connection } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { soapLogin } from '@sfauth/soap-login'
import { isAlive, logoutAccessToken, logoutSessionId } from './logout.js'

// Variables in .env count as if set in the shell (the shell wins).
if (existsSync('.env')) process.loadEnvFile('.env')
const env = process.env

interface Target {
  loginUrl: string
  username: string
  password: string
  client?: { clientId: string; clientSecret?: string }
  close(): Promise<void>
}

/** The org from .env, or the local emulator when SF_USERNAME is not set. */
async function target(): Promise<Target> {
  if (env.SF_USERNAME) {
    return {
      loginUrl: env.SF_LOGIN_URL || 'https://login.salesforce.com',
      username: env.SF_USERNAME,
      password: (env.SF_PASSWORD ?? '') + (env.SF_SECURITY_TOKEN ?? ''),
      ...(env.SF_CLIENT_ID
        ? { client: { clientId: env.SF_CLIENT_ID, clientSecret: env.SF_CLIENT_SECRET } }
        : {}),
      close: async () => {},
    }
  }
  const server = await createEmulator().listen()
  console.log(`No SF_USERNAME: using the local emulator at ${server.url}`)
  return {
    loginUrl: server.url,
    username: DEFAULT_USER.username,
    password: DEFAULT_USER.password + DEFAULT_USER.securityToken,
    client: DEFAULT_APP,
    close: () => server.close(),
  }
}

const where = await target()
try {
  // A SOAP session to end, passed on as the seed's session ID and server URL.
  const soap = new Connection({ loginUrl: where.loginUrl, flows: [soapLogin()] })
  const { organizationId } = await soap.login(where.username, where.password)
  const instanceUrl = soap.instanceUrl!
  const sessionId = soap.sessionId!
  await logoutSessionId(
    `${instanceUrl}/services/Soap/u/${soap.version}/${organizationId}`,
    sessionId,
  )
  console.log(
    `session ID logged out (SOAP logout); still accepted: ${await isAlive(instanceUrl, sessionId)}`,
  )

  if (where.client) {
    const oauth = new Connection({
      oauth2: new OAuth2({ ...where.client, loginUrl: where.loginUrl }),
    })
    await oauth.login(where.username, where.password)
    await logoutAccessToken(oauth.instanceUrl!, oauth.accessToken!)
    const alive = await isAlive(oauth.instanceUrl!, oauth.accessToken!)
    console.log(`access token logged out (revoked); still accepted: ${alive}`)
  }
} finally {
  await where.close()
}
