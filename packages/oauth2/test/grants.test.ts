import { createHttp, oauthEndpoints, SfAuthError } from '@sfauth/core/flow'
import { describe, expect, it } from 'vitest'
import {
  authorizationCodeGrant,
  type OAuthClient,
  passwordGrant,
  refreshedSession,
  refreshTokenGrant,
  revoke,
} from '../src/grants.js'
import {
  approveUrl,
  CLIENT_ID,
  CLIENT_SECRET,
  LOGIN,
  newOAuth2,
  PASSWORD,
  REDIRECT_URI,
  USER_ID,
  USERNAME,
  useEmulator,
} from './helpers.js'

const env = useEmulator()
const transport = { http: createHttp(), loginUrl: LOGIN }
const client: OAuthClient = {
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  redirectUri: REDIRECT_URI,
  tokenUrl: oauthEndpoints(LOGIN).token,
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (err: unknown) => err,
  )
}

// The grant functions alone: a transport and client information, no OAuth2 instance, no Connection.
describe('grant functions', () => {
  it('passwordGrant returns a token response for the user', async () => {
    const res = await passwordGrant(transport, client, USERNAME, PASSWORD)
    expect(res.id).toContain(USER_ID)
    expect(env.emu.isValidAccessToken(res.access_token)).toBe(true)
    expect(env.emu.count('token', 'password')).toBe(1)
  })

  it('authorizationCodeGrant exchanges a code with the client redirect URI', async () => {
    const url = newOAuth2().getAuthorizationUrl({ scope: 'api refresh_token' })
    const res = await authorizationCodeGrant(transport, client, approveUrl(env.emu, url))
    expect(env.emu.isValidAccessToken(res.access_token)).toBe(true)
    expect(res.refresh_token).toEqual(expect.any(String))
  })

  it('authorizationCodeGrant refuses a missing code or redirect URI before any call', () => {
    expect(() => authorizationCodeGrant(transport, client, '')).toThrow(TypeError)
    expect(() =>
      authorizationCodeGrant(transport, { ...client, redirectUri: undefined }, 'code'),
    ).toThrow(/redirect URI/)
    expect(env.emu.count('token')).toBe(0)
  })

  it('refreshTokenGrant and refreshedSession renew, keeping the refresh token unless rotated', async () => {
    const url = newOAuth2().getAuthorizationUrl({ scope: 'api refresh_token' })
    const first = await authorizationCodeGrant(transport, client, approveUrl(env.emu, url))
    const refreshToken = first.refresh_token as string
    const res = await refreshTokenGrant(transport, client, refreshToken)
    expect(res.access_token).not.toBe(first.access_token)
    // The emulator rotates refresh tokens, as Salesforce can: the next renewal uses the new one.
    const current = res.refresh_token ?? refreshToken
    const renewed = await refreshedSession(transport, client, current)
    const rotated = (renewed.response as { refresh_token?: string }).refresh_token
    expect(renewed.session.refreshToken).toBe(rotated ?? current)
    expect(env.emu.isValidAccessToken(renewed.session.accessToken)).toBe(true)
  })

  it("rejects with Salesforce's error, the secrets scrubbed", async () => {
    const err = await rejection(passwordGrant(transport, client, USERNAME, 'wrong-password-1234'))
    expect(err).toBeInstanceOf(SfAuthError)
    expect((err as SfAuthError).errorCode).toBe('invalid_grant')
    expect((err as SfAuthError).message).not.toContain(CLIENT_SECRET)
  })

  it('revoke ends the token on the server', async () => {
    const res = await passwordGrant(transport, client, USERNAME, PASSWORD)
    await revoke(transport, oauthEndpoints(LOGIN).revoke, res.access_token)
    expect(env.emu.isValidAccessToken(res.access_token)).toBe(false)
    expect(() => revoke(transport, oauthEndpoints(LOGIN).revoke, '')).toThrow(TypeError)
  })
})
