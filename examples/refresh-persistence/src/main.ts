import { existsSync } from 'node:fs'
import { maskToken, type TokenResponse } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { OAuth2, type OAuth2Options } from '@sfauth/oauth2'
import { DEFAULT_SESSION_KEY } from '@sfauth/session'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import { connect, type SavedTokens, whoami } from './refresh-persistence.js'

// Variables in .env count as if set in the shell (the shell wins).
if (existsSync('.env')) process.loadEnvFile('.env')
const env = process.env

function onRefresh(accessToken: string, res: Partial<TokenResponse>): void {
  const rotated = res.refresh_token ? 'a rotated refresh token' : 'the same refresh token'
  console.log(`   'refresh': new access token ${maskToken(accessToken)}, ${rotated}; session saved`)
}

if (env.SF_REFRESH_TOKEN) {
  // A real org: the session lives in .sfauth/ between runs (keep that folder as private as a password).
  const store = createStorage({ driver: fsDriver({ base: '.sfauth' }) })
  const client: OAuth2Options = {
    loginUrl: env.SF_LOGIN_URL || 'https://login.salesforce.com',
    clientId: env.SF_CLIENT_ID ?? '',
    clientSecret: env.SF_CLIENT_SECRET,
  }
  const saved = await store.hasItem(DEFAULT_SESSION_KEY)
  const tokens: SavedTokens = {
    instanceUrl: env.SF_INSTANCE_URL ?? '',
    refreshToken: env.SF_REFRESH_TOKEN,
  }
  console.log(
    saved ? 'Restoring the session saved in .sfauth/' : 'First run: starting from SF_REFRESH_TOKEN',
  )
  const conn = connect(client, saved ? undefined : tokens, store, onRefresh)
  console.log(`Logged in as ${await whoami(conn)}; the session is saved for the next run`)
} else {
  const emu = createEmulator({ apps: [{ ...DEFAULT_APP, rotateRefreshTokens: true }] })
  const server = await emu.listen()
  console.log(`No SF_REFRESH_TOKEN: using the local emulator at ${server.url}`)
  try {
    const client: OAuth2Options = {
      ...DEFAULT_APP,
      redirectUri: DEFAULT_APP.redirectUris![0],
      loginUrl: server.url,
    }
    // The tokens a web server flow would have saved (the emulator approves as its login page would).
    const code = emu.approve({
      clientId: client.clientId,
      username: DEFAULT_USER.username,
      redirectUri: client.redirectUri!,
      scope: 'api id refresh_token',
    })
    const res = await new OAuth2(client).requestToken(code)
    const tokens = {
      instanceUrl: res.instance_url,
      accessToken: res.access_token,
      refreshToken: res.refresh_token!,
    }
    const store = createStorage() // in memory: the emulator's sessions end with this process

    console.log('1. Connection from saved tokens; the access token has expired')
    emu.expireSessions()
    const conn = connect(client, tokens, store, onRefresh)
    console.log(`   logged in as ${await whoami(conn)}`)

    console.log('2. A new connection given only the store (as the next run would be)')
    const before = emu.count('token')
    const next = connect(client, undefined, store, onRefresh)
    const who = await whoami(next)
    console.log(`   logged in as ${who}, with ${emu.count('token') - before} token requests`)

    console.log('3. Logout revokes the refresh token and removes the saved session')
    await next.logout()
    console.log(
      `   saved session left: ${(await store.hasItem(DEFAULT_SESSION_KEY)) ? 'yes' : 'none'}`,
    )
  } finally {
    await server.close()
  }
}
