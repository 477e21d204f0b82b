import { existsSync } from 'node:fs'
import { Connection, maskToken } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { soapLogin } from '@sfauth/soap-login'
import { reuseAccessToken, reuseSessionId, type Whoami } from './session-reuse.js'

// Variables in .env count as if set in the shell (the shell wins).
if (existsSync('.env')) process.loadEnvFile('.env')
const env = process.env

interface Sessions {
  soap?: { serverUrl: string; sessionId: string }
  oauth?: { instanceUrl: string; accessToken: string }
  close(): Promise<void>
}

/** Sessions from .env, or two fresh ones from the local emulator when none is set. */
async function sessions(): Promise<Sessions> {
  if (env.SF_SESSION_ID || env.SF_ACCESS_TOKEN) {
    return {
      ...(env.SF_SESSION_ID
        ? { soap: { serverUrl: env.SF_SERVER_URL ?? '', sessionId: env.SF_SESSION_ID } }
        : {}),
      ...(env.SF_ACCESS_TOKEN
        ? { oauth: { instanceUrl: env.SF_INSTANCE_URL ?? '', accessToken: env.SF_ACCESS_TOKEN } }
        : {}),
      close: async () => {},
    }
  }
  const server = await createEmulator().listen()
  console.log(
    `No SF_SESSION_ID or SF_ACCESS_TOKEN: using sessions from the local emulator at ${server.url}`,
  )
  const password = DEFAULT_USER.password + DEFAULT_USER.securityToken
  const soap = new Connection({ loginUrl: server.url, flows: [soapLogin()] })
  const soapUser = await soap.login(DEFAULT_USER.username, password)
  const oauth = new Connection({
    oauth2: new OAuth2({ ...DEFAULT_APP, loginUrl: server.url }),
  })
  await oauth.login(DEFAULT_USER.username, password)
  return {
    soap: {
      serverUrl: `${soap.instanceUrl}/services/Soap/u/${soap.version}/${soapUser.organizationId}`,
      sessionId: soap.sessionId!,
    },
    oauth: { instanceUrl: oauth.instanceUrl!, accessToken: oauth.accessToken! },
    close: () => server.close(),
  }
}

function show(what: string, who: Whoami): void {
  console.log(`${what}: ${who.username} (User ID ${who.userId}, Org ID ${who.organizationId})`)
  console.log(`  instance URL ${who.conn.instanceUrl}, token ${maskToken(who.conn.accessToken)}`)
}

const given = await sessions()
try {
  if (given.soap)
    show('session ID', await reuseSessionId(given.soap.serverUrl, given.soap.sessionId))
  if (given.oauth) {
    show('access token', await reuseAccessToken(given.oauth.instanceUrl, given.oauth.accessToken))
  }
} finally {
  await given.close()
}
