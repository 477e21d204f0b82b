import { DEFAULT_APP } from '@sfauth/emulator'
import type { BenchContext } from './types.js'

/** What one authorization code bought: a fresh refresh-token family. */
export interface MintedTokens {
  accessToken: string
  refreshToken: string
  instanceUrl: string
}

/**
 * A fresh refresh-token family: consent by the emulator, the code exchanged over HTTP (the
 * renewal and fleet storms both start from one).
 */
export async function mintTokens(ctx: BenchContext): Promise<MintedTokens> {
  const redirectUri = DEFAULT_APP.redirectUris![0]!
  const code = ctx.emulator.approve({
    clientId: ctx.creds.clientId,
    username: ctx.creds.username,
    redirectUri,
    scope: 'api refresh_token',
  })
  const res = await fetch(`${ctx.url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: ctx.creds.clientId,
      client_secret: ctx.creds.clientSecret,
      redirect_uri: redirectUri,
    }),
  })
  const body = (await res.json()) as {
    access_token: string
    refresh_token?: string
    instance_url: string
  }
  if (!body.refresh_token) throw new Error(`no refresh token from the emulator (${res.status})`)
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    instanceUrl: body.instance_url,
  }
}
