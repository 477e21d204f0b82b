import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  Fleet,
  fleetConfig,
  newFleetEmulator,
  type RoundFigures,
  seedSession,
} from '@sfauth/test-kit/fleet'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

// The shared lock meets a store that fails, across real OS processes (the test kit's fleet on the
// built packages, fileLock + an fs store, the emulator on 127.0.0.1 with refresh-token rotation on):
// the holder of the lock renews, and the shared store will not take the save. No process may then
// renew with the refresh token the holder rotated out: a replay revokes the whole chain.
const FACTORY = fileURLToPath(new URL('./fleet/failing-store-factory.mjs', import.meta.url))
const KEY = 'sfauth:fleet:save-failure'
const SLOW = 180_000

const loopback = useLoopbackEmulator(newFleetEmulator)
let dir: string
let fleet: Fleet | undefined
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sfauth-save-failure-fleet-'))
})
afterEach(async () => {
  await fleet?.close()
  fleet = undefined
  rmSync(dir, { recursive: true, force: true })
})

async function start(processes: number, failure: Record<string, unknown>): Promise<Fleet> {
  const store = createStorage({ driver: fsDriver({ base: join(dir, 'store') }) })
  await seedSession(loopback.emu, loopback.url, store, KEY)
  await store.dispose()
  const config = fleetConfig(loopback.url, FACTORY, {
    key: KEY,
    storeDir: join(dir, 'store'),
    lockDir: join(dir, 'locks'),
    lockTtlMs: 2_000,
    lockWaitMs: 60_000,
    requests: 25,
    ...failure,
  })
  fleet = new Fleet(
    loopback.emu,
    Array.from({ length: processes }, () => config),
  )
  await fleet.ready()
  expect(await fleet.round()).toMatchObject({ tokenCalls: 0, failures: 0, ok: processes * 25 })
  return fleet
}

describe('session({ store, lock: fileLock() }) fleet: a store that fails the save', () => {
  it(
    'fails twice in every process: the holder retries under the lock; 1 refresh, 0 replays, 0 failures',
    async () => {
      const fleet = await start(4, { failSaves: 2 })
      loopback.emu.expireSessions()
      const figures = await fleet.round()
      expect(figures, JSON.stringify({ ...figures, latencies: undefined })).toMatchObject({
        tokenCalls: 1,
        replays: 0,
        failures: 0,
        ok: 100,
      })
      expect(new Set(figures.tokens).size).toBe(1)
      expect(figures.refreshed).toEqual(figures.tokens)
    },
    SLOW,
  )

  it(
    'fails until the store is back: 1 refresh, 0 replays; the holder goes on and keeps the lock, the others time out; then all heal',
    async () => {
      const failFile = join(dir, 'store-refuses-writes')
      writeFileSync(failFile, '')
      const fleet = await start(4, { failFile, lockWaitMs: 3_000 })
      loopback.emu.expireSessions()
      const down = await fleet.round()
      expect(down, JSON.stringify({ ...down, latencies: undefined })).toMatchObject({
        tokenCalls: 1,
        replays: 0,
        ok: 25,
        failures: 75,
        codes: ['ERR_LOCK_TIMEOUT'],
      })
      // The chain was not revoked: the holder's token still works, and still nobody replays.
      const still = await fleet.round()
      expect(still).toMatchObject({ tokenCalls: 0, replays: 0, ok: 25, failures: 75 })

      // The store takes writes again: the holder's kept lock saves and releases; all adopt.
      // Its tries pause up to 10 s, longer than these waits: a round may still time out.
      rmSync(failFile)
      const rounds: RoundFigures[] = []
      for (let i = 0; i < 8; i++) {
        const figures = await fleet.round()
        rounds.push(figures)
        if (figures.failures === 0) break
        expect(figures).toMatchObject({ tokenCalls: 0, replays: 0, codes: ['ERR_LOCK_TIMEOUT'] })
      }
      const healed = rounds.at(-1) as RoundFigures
      expect(healed, JSON.stringify(rounds.map((r) => r.codes))).toMatchObject({
        tokenCalls: 0,
        replays: 0,
        failures: 0,
        ok: 100,
      })
      expect(new Set(healed.tokens).size).toBe(1)
      expect(loopback.emu.count('token', 'refresh_token')).toBe(1)
    },
    SLOW,
  )
})
