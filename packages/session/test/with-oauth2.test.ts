import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Connection, SfAuthError, type TokenResponse } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SESSION_KEY, session } from '../src/index.js'
import {
  APP,
  approve,
  LOGIN_URL,
  newEmulator,
  QUERY,
  REDIRECT_URI,
  refreshStatus,
  SECRETS,
  USER,
} from './helpers.js'

const emulator = useMswEmulator(newEmulator)
let base: string

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'sfauth-session-oauth2-'))
})
afterEach(async () => {
  await rm(base, { recursive: true, force: true })
})

/** What a (re)started process builds: a storage on the directory and a connection with OAuth2. */
function start() {
  const store = createStorage({ driver: fsDriver({ base }) })
  const oauth2 = new OAuth2({
    clientId: APP.clientId,
    clientSecret: APP.clientSecret,
    redirectUri: REDIRECT_URI,
  })
  return { store, conn: new Connection({ oauth2, flows: [session({ store })] }) }
}

async function fileText(): Promise<string> {
  const entries = await readdir(base, { recursive: true, withFileTypes: true })
  const files = entries.filter((entry) => entry.isFile())
  expect(files).toHaveLength(1)
  const file = files[0] as (typeof files)[number]
  return readFile(join(file.parentPath, file.name), 'utf8')
}

describe('with @sfauth/oauth2', () => {
  it('a renewal by OAuth2 is saved and survives a restart', async () => {
    const run1 = start()
    await run1.conn.authorize(approve(emulator.emu))
    const firstRefreshToken = run1.conn.refreshToken as string
    emulator.emu.expireSessions()
    await run1.conn.request(QUERY)
    expect(emulator.emu.count('token', 'refresh_token')).toBe(1)
    const saved = JSON.parse(await fileText())
    expect(saved.accessToken).toBe(run1.conn.accessToken)
    expect(saved.refreshToken).toBe(run1.conn.refreshToken)
    expect(saved.refreshToken).not.toBe(firstRefreshToken)

    // Restart: new storage, new OAuth2, new connection on the same directory.
    const run2 = start()
    const responses: TokenResponse[] = []
    run2.conn.on('refresh', (_accessToken, res) => responses.push(res as TokenResponse))
    await run2.conn.request(QUERY)
    expect(run2.conn.accessToken).toBe(saved.accessToken)
    expect(emulator.emu.count('token', 'refresh_token')).toBe(1)

    emulator.emu.expireSessions()
    await run2.conn.request(QUERY)

    // Renewed with the rotated refresh token that was saved, and the new rotation saved again.
    expect(emulator.emu.count('token', 'refresh_token')).toBe(2)
    expect(responses).toHaveLength(1)
    expect(responses[0]?.refresh_token).toBe(run2.conn.refreshToken)
    const text = await fileText()
    expect(JSON.parse(text)).toMatchObject({
      v: 1,
      accessToken: run2.conn.accessToken,
      refreshToken: run2.conn.refreshToken,
      kind: 'oauth2',
    })
    for (const secret of SECRETS) expect(text).not.toContain(secret)
    expect(await refreshStatus(LOGIN_URL, firstRefreshToken)).toBe(400)
  })

  it('a password login is saved without the password, the security token or the client secret', async () => {
    const run1 = start()
    await run1.conn.login(USER.username, USER.password + USER.securityToken)

    const text = await fileText()
    expect(JSON.parse(text).accessToken).toBe(run1.conn.accessToken)
    for (const secret of SECRETS) expect(text).not.toContain(secret)
    expect(JSON.stringify(await run1.store.getItem(DEFAULT_SESSION_KEY))).not.toContain(
      USER.password,
    )
  })

  it('after a restart, an expired password-grant session cannot renew and says how to get one that can', async () => {
    const run1 = start()
    await run1.conn.login(USER.username, USER.password + USER.securityToken)
    emulator.emu.expireSessions()

    // The password lived only in run 1's memory; run 2 has no refresh token to renew with.
    const run2 = start()
    const err = await run2.conn.request(QUERY).catch((e: unknown) => e)

    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'INVALID_SESSION_ID', status: 401 })
    expect((err as Error).message).toMatch(/refresh token/)
    expect(emulator.emu.count('token', 'password')).toBe(1)
  })

  it("the seed's access token with refresh token, saved on every refresh", async () => {
    const first = start()
    await first.conn.authorize(approve(emulator.emu))
    const { accessToken, refreshToken, instanceUrl } = first.conn
    await first.store.clear()
    emulator.emu.expireSessions()

    const store = createStorage({ driver: fsDriver({ base }) })
    const conn = new Connection({
      oauth2: new OAuth2({ clientId: APP.clientId, clientSecret: APP.clientSecret }),
      instanceUrl,
      accessToken,
      refreshToken,
      flows: [session({ store })],
    })
    await conn.request(QUERY)

    expect(conn.refreshToken).not.toBe(refreshToken)
    expect(await store.getItem(DEFAULT_SESSION_KEY)).toMatchObject({
      accessToken: conn.accessToken,
      refreshToken: conn.refreshToken,
    })
  })

  it('logout after a restart revokes the saved refresh token and removes the file', async () => {
    const run1 = start()
    await run1.conn.authorize(approve(emulator.emu))
    const refreshToken = run1.conn.refreshToken as string

    const run2 = start()
    await run2.conn.logout()

    expect(await refreshStatus(LOGIN_URL, refreshToken)).toBe(400)
    expect(await readdir(base, { recursive: true, withFileTypes: true })).toSatisfy(
      (entries: { isFile(): boolean }[]) => entries.every((e) => !e.isFile()),
    )
  })
})
