import { SfAuthError, type TokenResponse } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { OAuth2, type OAuth2Options } from '@sfauth/oauth2'
import { DEFAULT_SESSION_KEY, type StoredSession } from '@sfauth/session'
import { startExample } from '@sfauth/test-kit/env'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { createStorage } from 'unstorage'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  connect,
  refreshWithCallback,
  type SavedTokens,
  whoami,
} from '../src/refresh-persistence.js'

const server = useLoopbackEmulator(
  createEmulator({ apps: [{ ...DEFAULT_APP, rotateRefreshTokens: true }] }),
)
const { emu } = server
let client: OAuth2Options
beforeAll(() => {
  client = { ...DEFAULT_APP, redirectUri: DEFAULT_APP.redirectUris![0], loginUrl: server.url }
})

/** Fresh tokens, as a web server flow would have saved them. */
async function savedTokens(): Promise<SavedTokens> {
  const code = emu.approve({
    clientId: client.clientId,
    username: DEFAULT_USER.username,
    redirectUri: client.redirectUri!,
    scope: 'api id refresh_token',
  })
  const res = await new OAuth2(client).requestToken(code)
  return {
    instanceUrl: res.instance_url,
    accessToken: res.access_token,
    refreshToken: res.refresh_token!,
  }
}

describe('refresh with persistence example', () => {
  it('renews an expired token once for concurrent calls, fires refresh and saves the rotated refresh token', async () => {
    const tokens = await savedTokens()
    const store = createStorage()
    const events: [string, Partial<TokenResponse>][] = []
    const conn = connect(client, tokens, store, (accessToken, res) =>
      events.push([accessToken, res]),
    )
    emu.expireSession(tokens.accessToken!)
    emu.resetCalls()

    const names = await Promise.all(Array.from({ length: 5 }, () => whoami(conn)))

    expect(names).toEqual(Array(5).fill(DEFAULT_USER.username))
    expect(emu.count('token', 'refresh_token')).toBe(1)
    expect(events).toHaveLength(1)
    const [accessToken, res] = events[0]!
    expect(accessToken).toBe(conn.accessToken)
    expect(res.refresh_token).toBeDefined()
    expect(res.refresh_token).not.toBe(tokens.refreshToken)
    const stored = (await store.getItem(DEFAULT_SESSION_KEY)) as StoredSession
    expect(stored.refreshToken).toBe(res.refresh_token)
    expect(stored.accessToken).toBe(accessToken)
    expect(JSON.stringify(stored)).not.toContain(DEFAULT_APP.clientSecret)
    // Rotation: the old refresh token is dead now.
    const err = await refreshWithCallback(new OAuth2(client), tokens.refreshToken).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(SfAuthError)
    expect((err as SfAuthError).errorCode).toBe('invalid_grant')
    expect((err as SfAuthError).message).not.toContain(tokens.refreshToken)
  })

  it('a later connection given only the store restores the session without a token request', async () => {
    const store = createStorage()
    const first = connect(client, await savedTokens(), store, () => {})
    await whoami(first)
    emu.resetCalls()

    const next = connect(client, undefined, store, () => {})
    expect(await whoami(next)).toBe(DEFAULT_USER.username)
    expect(emu.count('token')).toBe(0)
    expect(next.accessToken).toBe(first.accessToken)

    await next.logout()
    expect(await store.hasItem(DEFAULT_SESSION_KEY)).toBe(false)
    expect(emu.isValidAccessToken(first.accessToken!)).toBe(false)
  })

  it('refreshes by hand with the seed callback form', async () => {
    const tokens = await savedTokens()
    const res = await refreshWithCallback(new OAuth2(client), tokens.refreshToken)
    expect(emu.isValidAccessToken(res.access_token)).toBe(true)
    expect(res.instance_url).toBe(server.url)
  })

  it('pnpm start renews, restores and logs out against its own emulator', async () => {
    const stdout = await startExample(new URL('..', import.meta.url))
    expect(stdout).toContain("'refresh': new access token")
    expect(stdout).toContain('a rotated refresh token; session saved')
    expect(stdout).toContain(`logged in as ${DEFAULT_USER.username}, with 0 token requests`)
    expect(stdout).toContain('saved session left: none')
  })
})
