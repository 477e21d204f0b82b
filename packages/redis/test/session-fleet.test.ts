import { fileURLToPath } from 'node:url'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { createStorage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { WorkerProcess } from '../../session/test/fleet/harness.js'
import {
  Fleet,
  fleetConfig,
  type RoundFigures,
  seedSession,
} from '../../session/test/fleet/session-fleet.js'
import { newEmulator } from '../../session/test/helpers.js'
import { hasRedisServer, type RedisServer, startRedis } from './redis-server.js'

// Real OS processes on the built packages, each a Connection with OAuth2 +
// session({ store: unstorage redis driver, lock: redisLock() }) on one real redis-server,
// against the emulator on 127.0.0.1 with refresh-token rotation on.
// Wide bounds for a busy 2-core machine; no timing assertion.
const SLOW = 180_000
const factory = fileURLToPath(new URL('./fleet/redis-lock-factory.mjs', import.meta.url))
const loopback = useLoopbackEmulator(newEmulator)

describe.skipIf(!hasRedisServer)('session({ store, lock: redisLock() }) across processes', () => {
  let server: RedisServer
  let fleet: Fleet | undefined
  let prefix = 0

  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(async () => {
    await server?.stop('SIGKILL')
  })
  afterEach(async () => {
    await fleet?.close()
    fleet = undefined
  })

  /** Each test its own key, so one Redis serves them all. */
  function config(more: Record<string, unknown> = {}) {
    return fleetConfig(loopback.url, factory, {
      port: server.port,
      key: `sfauth:fleet:${prefix}`,
      lockTtlMs: 3_000,
      lockWaitMs: 60_000,
      commandTimeoutMs: 1_000,
      ...more,
    })
  }

  async function seed(): Promise<void> {
    prefix++
    const store = createStorage({
      driver: redisDriver({ host: '127.0.0.1', port: server.port, base: 'sfauth' }),
    })
    await seedSession(loopback.emu, loopback.url, store, `sfauth:fleet:${prefix}`)
    await store.dispose()
  }

  function expectOneRenewal(figures: RoundFigures, ok: number): void {
    expect(figures, JSON.stringify({ ...figures, latencies: undefined })).toMatchObject({
      tokenCalls: 1,
      replays: 0,
      failures: 0,
      ok,
    })
    const [token] = figures.tokens
    expect(token).toBeDefined()
    expect(new Set(figures.tokens)).toEqual(new Set([token]))
    expect(figures.refreshed).toEqual(figures.tokens)
  }

  it(
    '8 processes × 50 requests, two expiries in a row: one refresh call per expiry, no replay, no failure',
    async () => {
      await seed()
      fleet = new Fleet(
        loopback.emu,
        Array.from({ length: 8 }, () => config()),
      )
      await fleet.ready()
      expect(await fleet.round()).toMatchObject({ tokenCalls: 0, failures: 0, ok: 400 })
      loopback.emu.expireSessions()
      const first = await fleet.round()
      expectOneRenewal(first, 400)
      loopback.emu.expireSessions()
      const second = await fleet.round()
      expectOneRenewal(second, 400)
      expect(second.tokens[0]).not.toBe(first.tokens[0])
    },
    SLOW,
  )

  it(
    'kill -9 of the process holding the lock: the others renew once after its lease',
    async () => {
      await seed()
      fleet = new Fleet(loopback.emu, [
        config({ stallInLock: true }),
        ...Array.from({ length: 3 }, () => config()),
      ])
      await fleet.ready()
      const [holder, ...others] = fleet.workers as [WorkerProcess, ...WorkerProcess[]]
      expect(await fleet.round()).toMatchObject({ tokenCalls: 0, failures: 0, ok: 200 })
      loopback.emu.expireSessions()
      holder.tell('go')
      await holder.next('lock-acquired', 60_000)
      holder.kill('SIGKILL')
      await holder.exited
      expectOneRenewal(await fleet.round(90_000, others), 150)
      expect(holder.events.filter((e) => e.type === 'token-call')).toEqual([])
    },
    SLOW,
  )

  it(
    'Redis stopped in the middle: a clear SfAuthError, no hang, no token call; Redis back: the fleet recovers',
    async () => {
      await seed()
      fleet = new Fleet(
        loopback.emu,
        Array.from({ length: 4 }, () => config()),
      )
      await fleet.ready()
      expect(await fleet.round()).toMatchObject({ tokenCalls: 0, failures: 0, ok: 200 })

      await server.stop('SIGKILL')
      loopback.emu.expireSessions()
      // Bounded by the lock's command timeout (1 s here): a hang would time this round out.
      const down = await fleet.round(60_000)
      expect(down).toMatchObject({ tokenCalls: 0, replays: 0, ok: 0, failures: 200 })
      expect(down.codes).toEqual(['ERR_LOCK_UNAVAILABLE'])

      // A fresh, empty Redis on the same port: nothing saved, so one process renews with the
      // refresh token it holds (never sent before) and saves; the others adopt. Clients take a
      // moment to reconnect, so a round may still fail with ERR_LOCK_UNAVAILABLE: retry a few.
      await server.restart()
      const rounds: RoundFigures[] = []
      for (let i = 0; i < 5; i++) {
        const figures = await fleet.round(60_000)
        rounds.push(figures)
        if (figures.failures === 0) break
        expect(figures.codes).toEqual(['ERR_LOCK_UNAVAILABLE'])
      }
      const last = rounds.at(-1) as RoundFigures
      expect(last.failures, JSON.stringify(rounds.map((r) => r.codes))).toBe(0)
      expect(rounds.reduce((n, r) => n + r.tokenCalls, 0)).toBe(1)
      expect(rounds.reduce((n, r) => n + r.replays, 0)).toBe(0)
      expect(new Set(last.tokens).size).toBe(1)
    },
    SLOW,
  )
})
