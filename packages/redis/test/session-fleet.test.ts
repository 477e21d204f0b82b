import { fileURLToPath } from 'node:url'
import type { RoundFigures } from '@sfauth/test-kit/fleet'
import { hasRedisServer, type RedisServer, startRedis } from '@sfauth/test-kit/redis-server'
import { testSessionFleet } from '@sfauth/test-kit/session-fleet'
import { createStorage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The fleet contract on unstorage's redis driver + redisLock, one real redis-server: real OS
// processes on the built packages, each a Connection with OAuth2 + session({ store, lock }),
// against the emulator on 127.0.0.1 with refresh-token rotation on. Then what only Redis does:
// stop in the middle. Wide bounds for a busy 2-core machine; no timing assertion.
const SLOW = 180_000

describe.skipIf(!hasRedisServer)('session({ store, lock: redisLock() }) across processes', () => {
  let server: RedisServer
  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(async () => {
    await server?.stop('SIGKILL')
  })

  const fleet = testSessionFleet({
    name: 'session({ store: redis, lock: redisLock() })',
    factory: fileURLToPath(new URL('./fleet/redis-lock-factory.mjs', import.meta.url)),
    config: () => ({
      port: server.port,
      lockTtlMs: 3_000,
      lockWaitMs: 60_000,
      commandTimeoutMs: 1_000,
    }),
    store: () =>
      createStorage({
        driver: redisDriver({ host: '127.0.0.1', port: server.port, base: 'sfauth' }),
      }),
  })

  it(
    'Redis stopped in the middle: a clear SfAuthError, no hang, no token call; Redis back: the fleet recovers',
    async () => {
      await fleet.seed()
      const workers = await fleet.start([{}, {}, {}, {}])
      expect(await workers.round()).toMatchObject({ tokenCalls: 0, failures: 0, ok: 200 })

      await server.stop('SIGKILL')
      fleet.emu.expireSessions()
      // Bounded by the lock's command timeout (1 s here): a hang would time this round out.
      const down = await workers.round(60_000)
      expect(down).toMatchObject({ tokenCalls: 0, replays: 0, ok: 0, failures: 200 })
      expect(down.codes).toEqual(['ERR_LOCK_UNAVAILABLE'])

      // A fresh, empty Redis on the same port: nothing saved, so one process renews with the
      // refresh token it holds (never sent before) and saves; the others adopt. Clients take a
      // moment to reconnect, so a round may still fail with ERR_LOCK_UNAVAILABLE: retry a few.
      await server.restart()
      const rounds: RoundFigures[] = []
      for (let i = 0; i < 5; i++) {
        const figures = await workers.round(60_000)
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
