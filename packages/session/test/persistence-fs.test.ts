import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Connection } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SESSION_KEY, session } from '../src/index.js'
import {
  approve,
  LOGIN_URL,
  newEmulator,
  QUERY,
  refreshStatus,
  refreshTokenFlow,
  SECRETS,
  USER,
} from './helpers.js'

const emulator = useMswEmulator(newEmulator)
let base: string

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'sfauth-session-'))
})
afterEach(async () => {
  await rm(base, { recursive: true, force: true })
})

/** A fresh storage on the same directory: what a restarted process would open. */
function openStore() {
  return createStorage({ driver: fsDriver({ base }) })
}

/** Every file the driver wrote, as text. */
async function filesOnDisk(): Promise<string[]> {
  const names = await readdir(base, { recursive: true, withFileTypes: true })
  const files = names.filter((entry) => entry.isFile())
  return Promise.all(files.map((f) => readFile(join(f.parentPath, f.name), 'utf8')))
}

describe('persistence with unstorage (file-system driver)', () => {
  it('writes the session to disk, without any secret, and a second Connection uses it', async () => {
    const conn = new Connection({ flows: [refreshTokenFlow(), session({ store: openStore() })] })
    await conn.authorize(approve(emulator.emu))

    const files = await filesOnDisk()
    expect(files).toHaveLength(1)
    const onDisk = JSON.parse(files[0] as string)
    expect(onDisk).toMatchObject({
      v: 1,
      accessToken: conn.accessToken,
      refreshToken: conn.refreshToken,
      instanceUrl: conn.instanceUrl,
      kind: 'oauth2',
    })
    for (const secret of SECRETS) expect(files[0]).not.toContain(secret)

    const tokenCalls = emulator.emu.count('token')
    const second = new Connection({ flows: [session({ store: openStore() })] })
    const claims = await second.identity()
    expect(claims.preferred_username).toBe(USER.username)
    expect(second.accessToken).toBe(conn.accessToken)
    expect(emulator.emu.count('token')).toBe(tokenCalls)
  })

  it('a renewal is saved and survives a restart', async () => {
    const conn = new Connection({ flows: [refreshTokenFlow(), session({ store: openStore() })] })
    await conn.authorize(approve(emulator.emu))
    const firstRefreshToken = conn.refreshToken as string
    emulator.emu.expireSessions()
    await conn.request(QUERY)
    const renewed = { accessToken: conn.accessToken, refreshToken: conn.refreshToken }
    expect(renewed.refreshToken).not.toBe(firstRefreshToken)

    // "Restart": a new storage and connection on the same directory.
    const restarted = new Connection({
      flows: [session({ store: openStore() }), refreshTokenFlow()],
    })
    await restarted.request(QUERY)
    expect(restarted.accessToken).toBe(renewed.accessToken)
    expect(emulator.emu.count('token', 'refresh_token')).toBe(1)

    // Its next renewal uses the rotated refresh token that was saved (the old one is dead).
    emulator.emu.expireSessions()
    await restarted.request(QUERY)
    expect(emulator.emu.count('token', 'refresh_token')).toBe(2)
    expect(await refreshStatus(LOGIN_URL, firstRefreshToken)).toBe(400)
    const onDisk = JSON.parse((await filesOnDisk())[0] as string)
    expect(onDisk.accessToken).toBe(restarted.accessToken)
    expect(onDisk.refreshToken).toBe(restarted.refreshToken)
    for (const file of await filesOnDisk()) {
      for (const secret of SECRETS) expect(file).not.toContain(secret)
    }
  })

  it('logout removes the file', async () => {
    const conn = new Connection({ flows: [refreshTokenFlow(), session({ store: openStore() })] })
    await conn.authorize(approve(emulator.emu))
    expect(await filesOnDisk()).toHaveLength(1)

    await new Connection({ flows: [session({ store: openStore() })] }).logout()

    expect(await filesOnDisk()).toHaveLength(0)
    expect(await openStore().hasItem(DEFAULT_SESSION_KEY)).toBe(false)
  })
})
