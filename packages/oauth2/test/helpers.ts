import { createHash } from 'node:crypto'
import { Connection } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER, type Emulator } from '@sfauth/emulator'
import { OAuth2, type OAuth2Options } from '../src/index.js'

export const LOGIN = 'https://login.salesforce.com'
export const REDIRECT_URI = 'http://localhost:3000/oauth2/callback'
export const CLIENT_ID = DEFAULT_APP.clientId
export const CLIENT_SECRET = DEFAULT_APP.clientSecret as string
export const USERNAME = DEFAULT_USER.username
/** API logins (the password grant) want the security token appended. */
export const PASSWORD = DEFAULT_USER.password + DEFAULT_USER.securityToken
export const USER_ID = DEFAULT_USER.userId
export const ORG_ID = DEFAULT_USER.orgId

/** An emulator whose connected app rotates refresh tokens (off by default, as on Salesforce). */
export const rotatingEmulator = (): Emulator =>
  createEmulator({ apps: [{ ...DEFAULT_APP, rotateRefreshTokens: true }] })

export function newOAuth2(options: Partial<OAuth2Options> = {}): OAuth2 {
  return new OAuth2({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    ...options,
  })
}

/**
 * What the consent page's Allow button does for the authorize URL the library built: the
 * emulator issues a code bound to that URL's client, redirect URI, scope and PKCE challenge.
 */
export function approveUrl(emu: Emulator, authorizeUrl: string): string {
  const q = new URL(authorizeUrl).searchParams
  const optional = (key: string, name: string) => {
    const value = q.get(name)
    return value === null ? {} : { [key]: value }
  }
  return emu.approve({
    clientId: q.get('client_id') ?? '',
    username: USERNAME,
    redirectUri: q.get('redirect_uri') ?? '',
    ...optional('scope', 'scope'),
    ...optional('state', 'state'),
    ...optional('codeChallenge', 'code_challenge'),
    ...optional('codeChallengeMethod', 'code_challenge_method'),
  })
}

/** A connection that completed the web server flow with PKCE and holds a refresh token. */
export async function authorizedConnection(
  emu: Emulator,
  oauth2 = newOAuth2(),
): Promise<Connection> {
  const request = await oauth2.createAuthorizationRequest({ scope: 'api id web refresh_token' })
  const code = approveUrl(emu, request.url)
  const conn = new Connection({ oauth2 })
  await conn.authorize(code, { code_verifier: request.codeVerifier })
  return conn
}

/** RFC 7636 S256, computed independently of the code under test. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url')
}

/** Node-style callback → promise of `[err, result]`, to assert what a callback receives. */
export function callbackResult<T>(): {
  callback: (err: Error | null, result?: T) => void
  settled: Promise<[Error | null, T | undefined]>
} {
  let resolve!: (value: [Error | null, T | undefined]) => void
  const settled = new Promise<[Error | null, T | undefined]>((r) => {
    resolve = r
  })
  return { callback: (err, result) => resolve([err, result]), settled }
}
