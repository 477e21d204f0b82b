import { existsSync } from 'node:fs'
import { maskToken } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { idTokenHandler } from './handler.js'
import { startIssuer } from './issuer.js'
import { type ExchangeOptions, exchangeIdToken } from './token-exchange.js'

// Variables in .env count as if set in the shell (the shell wins).
if (existsSync('.env')) process.loadEnvFile('.env')
const env = process.env

/** The org from .env, or the local emulator and a local issuer when SF_CLIENT_ID is not set. */
async function target(): Promise<ExchangeOptions & { close(): Promise<void> }> {
  if (env.SF_CLIENT_ID) {
    // A real org: the id_token comes from your identity provider, the handler is set up in Setup.
    const idToken = env.SF_SUBJECT_TOKEN ?? ''
    return {
      loginUrl: env.SF_LOGIN_URL || 'https://login.salesforce.com',
      clientId: env.SF_CLIENT_ID,
      ...(env.SF_CLIENT_SECRET ? { clientSecret: env.SF_CLIENT_SECRET } : {}),
      ...(env.SF_TOKEN_HANDLER ? { tokenHandler: env.SF_TOKEN_HANDLER } : {}),
      idToken: async () => idToken,
      close: async () => {},
    }
  }
  // The other identity provider: an OIDC issuer of our own on 127.0.0.1, with a key made now.
  const issuer = await startIssuer()
  const audience = 'sfauth-example-spa'
  // The emulator's handler verifies the issuer's id_tokens and maps the IdP user to the org's.
  const emu = createEmulator()
  emu.addTokenExchangeHandler(
    idTokenHandler({
      name: 'ExampleIdpHandler',
      issuer: issuer.url,
      jwksUri: issuer.jwksUri,
      audience,
      users: { [DEFAULT_USER.email]: DEFAULT_USER.username },
    }),
  )
  const server = await emu.listen()
  console.log(`No SF_CLIENT_ID: using the local emulator at ${server.url}`)
  console.log(`and a local OpenID Connect issuer at ${issuer.url}`)
  const idpUser = { sub: 'idp|2f9c41', email: DEFAULT_USER.email }
  return {
    loginUrl: server.url,
    clientId: DEFAULT_APP.clientId,
    clientSecret: DEFAULT_APP.clientSecret,
    tokenHandler: 'ExampleIdpHandler',
    idToken: () => issuer.idToken(idpUser, audience),
    close: async () => {
      await server.close()
      await issuer.close()
    },
  }
}

const options = await target()
try {
  const { conn, userInfo, me } = await exchangeIdToken(options)
  // Tokens are secrets: show enough to recognise one, never all of it.
  console.log(`access token: ${maskToken(conn.accessToken)}`)
  console.log(`instance URL: ${conn.instanceUrl}`)
  console.log(`User ID: ${userInfo.id}`)
  console.log(`Org ID: ${userInfo.organizationId}`)
  console.log(`REST query: ${me?.Username ?? '(no record)'}`)
  await conn.logout()
} finally {
  await options.close()
}
