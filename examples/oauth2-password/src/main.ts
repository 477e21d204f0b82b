import { existsSync } from 'node:fs'
import { maskToken } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { loginWithPassword, type PasswordLoginOptions } from './oauth2-password.js'

// Variables in .env count as if set in the shell (the shell wins).
if (existsSync('.env')) process.loadEnvFile('.env')
const env = process.env

/** The org from .env, or the local emulator when SF_USERNAME is not set. */
async function target(): Promise<PasswordLoginOptions & { close(): Promise<void> }> {
  if (env.SF_USERNAME) {
    return {
      loginUrl: env.SF_LOGIN_URL || 'https://login.salesforce.com',
      clientId: env.SF_CLIENT_ID ?? '',
      clientSecret: env.SF_CLIENT_SECRET,
      username: env.SF_USERNAME,
      password: (env.SF_PASSWORD ?? '') + (env.SF_SECURITY_TOKEN ?? ''),
      close: async () => {},
    }
  }
  const server = await createEmulator().listen()
  console.log(`No SF_USERNAME: using the local emulator at ${server.url}`)
  return {
    loginUrl: server.url,
    clientId: DEFAULT_APP.clientId,
    clientSecret: DEFAULT_APP.clientSecret,
    username: DEFAULT_USER.username,
    password: DEFAULT_USER.password + DEFAULT_USER.securityToken,
    close: () => server.close(),
  }
}

const options = await target()
try {
  const { conn, userInfo } = await loginWithPassword(options)
  // Tokens are secrets: show enough to recognise one, never all of it.
  console.log(`access token: ${maskToken(conn.accessToken)}`)
  console.log(`instance URL: ${conn.instanceUrl}`)
  console.log(`User ID: ${userInfo.id}`)
  console.log(`Org ID: ${userInfo.organizationId}`)
  await conn.logout()
} finally {
  await options.close()
}
