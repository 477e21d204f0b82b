import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { killAll, WorkerProcess } from '@sfauth/test-kit/fleet'
import { hasRedisServer, startRedis } from '@sfauth/test-kit/redis-server'
import { createStorage, type Storage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import redisDriver from 'unstorage/drivers/redis'
import { childScript } from '../child.js'
import { mintTokens } from '../mint-tokens.js'
import { percentile } from '../stats.js'
import { type Storm, type StormTotals, stormLine, summarizeStorms } from '../storm.js'
import type { BenchContext, Benchmark } from '../types.js'

/** The fleets measured: the embedded file lock, Redis, and the file store without a lock. */
const VARIANTS = [
  { id: 'fs, no lock', backend: 'fs', useLock: false },
  { id: 'fs + fileLock', backend: 'fs', useLock: true },
  { id: 'redis + redisLock', backend: 'redis', useLock: true },
] as const
type Variant = (typeof VARIANTS)[number]

/** How long a fleet process may take to get ready or to finish its storm on a busy machine. */
const STEP_MS = 300_000

/** One member of the fleet: children/fleet.mjs in its own Node process. */
function spawnMember(env: object): WorkerProcess {
  return new WorkerProcess(childScript('fleet.mjs'), env)
}

/** A fresh session with a refresh token, saved in `store` where the fleet looks for it. */
async function seed(ctx: BenchContext, store: Storage, key: string): Promise<void> {
  const { accessToken, refreshToken, instanceUrl } = await mintTokens(ctx)
  await store.setItem(key, { v: 1, kind: 'oauth2', accessToken, refreshToken, instanceUrl })
}

async function stormOnce(
  ctx: BenchContext,
  variant: Variant,
  shape: { processes: number; requests: number },
  redisUrl: string | undefined,
): Promise<Storm> {
  const dir = mkdtempSync(join(tmpdir(), 'sfauth-bench-fleet-'))
  const key = `fleet-${Date.now()}-${Math.random().toString(36).slice(2)}`
  const store =
    variant.backend === 'redis'
      ? createStorage({ driver: redisDriver({ url: redisUrl!, base: 'sfauth:bench' }) })
      : createStorage({ driver: fsDriver({ base: join(dir, 'store') }) })
  const members: WorkerProcess[] = []
  try {
    await seed(ctx, store, key)
    const env = {
      url: ctx.url,
      clientId: ctx.creds.clientId,
      clientSecret: ctx.creds.clientSecret,
      backend: variant.backend,
      useLock: variant.useLock,
      redisUrl,
      storeDir: join(dir, 'store'),
      lockDir: join(dir, 'locks'),
      key,
      requests: shape.requests,
    }
    for (let i = 0; i < shape.processes; i++) members.push(spawnMember(env))
    await Promise.all(members.map((m) => m.next('ready', STEP_MS)))
    ctx.emulator.expireSessions()
    const before = ctx.emulator.count('token', 'refresh_token')
    for (const m of members) m.tell('go')
    const done = await Promise.all(members.map((m) => m.next('done', STEP_MS)))
    // A replay: a refresh request presenting a refresh token already presented once.
    const presented = members.flatMap((m) =>
      m.events.filter((l) => l.type === 'token-call').map((l) => l.rt),
    )
    const errors: Record<string, number> = {}
    for (const d of done) {
      for (const [label, n] of Object.entries(d.errors as Record<string, number>)) {
        errors[label] = (errors[label] ?? 0) + n
      }
    }
    return {
      tokenCalls: ctx.emulator.count('token', 'refresh_token') - before,
      replays: presented.length - new Set(presented).size,
      failures: done.reduce((n, d) => n + (d.failures as number), 0),
      errors,
      latencies: done.flatMap((d) => d.latencies as number[]),
    }
  } finally {
    killAll(members)
    await store.removeItem(key).catch(() => {})
    await store.dispose()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Processes × requests sharing one session across an expiry, with refresh-token rotation on:
 * token calls, replays, failures and latency, for the fs store without a lock, with fileLock, and
 * with Redis (unstorage's redis driver + redisLock on a redis-server this benchmark starts).
 */
export const fleetStorm: Benchmark = {
  id: 'fleet-storm',
  title: 'Fleet storm',
  async run(ctx) {
    const requests = ctx.options.quick ? 20 : 50
    // The base fleet for every variant; a full run also has the locked fleets at 32 processes,
    // to see how the wait on one renewal grows with the fleet.
    const base = ctx.options.quick ? 4 : 8
    const shapes = VARIANTS.flatMap((variant) =>
      (variant.useLock && !ctx.options.quick ? [base, 32] : [base]).map((processes) => ({
        variant,
        processes,
      })),
    )
    const runs = ctx.options.quick ? 1 : Math.max(1, Math.ceil(ctx.runs / 5))
    const redis = hasRedisServer ? await startRedis() : undefined
    const notes: string[] = []
    if (!redis) notes.push('redis-server is not installed: the Redis fleet was not measured.')
    const rows: string[][] = []
    const data: Record<string, unknown> = { processes: base, requests, runs }
    try {
      for (const { variant, processes } of shapes) {
        if (variant.backend === 'redis' && !redis) continue
        const shape = { processes, requests }
        ctx.log(`fleet-storm: ${variant.id}, ${processes} processes`)
        const storms: Storm[] = []
        for (let run = 0; run < runs; run++)
          storms.push(await stormOnce(ctx, variant, shape, redis?.url))
        const { totals, latencies, errors, cells } = summarizeStorms(
          storms,
          shape.processes * shape.requests * runs,
        )
        const figures = {
          processes,
          ...totals,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          slowest: Math.max(...latencies),
        }
        // The base fleet keeps the variant's name as its key; larger ones add their size.
        const key = processes === base ? variant.id : `${variant.id} × ${processes}`
        data[key] = figures
        for (const [label, n] of Object.entries(errors)) notes.push(`${key}: ${n} × \`${label}\``)
        rows.push([
          variant.id,
          `${shape.processes} × ${shape.requests}`,
          ...cells,
          `${figures.p50.toFixed(1)} ms`,
          `${figures.p99.toFixed(1)} ms`,
          `${figures.slowest.toFixed(1)} ms`,
        ])
      }
    } finally {
      await redis?.stop()
    }
    const line = (id: string) => {
      const f = data[id] as StormTotals | undefined
      return f ? stormLine(id, f) : `${id} not measured`
    }
    return {
      id: this.id,
      title: this.title,
      method: `${base} Node processes${ctx.options.quick ? '' : ' (and 32 for the locked fleets)'}, each a \`Connection\` with OAuth2 and \`session({ store, lock })\` from one saved session (connected app with \`rotateRefreshTokens: true\`), started together; every session is expired on the emulator, then each process fires ${requests} \`conn.request()\` calls at once. Token calls are refresh-token grants the emulator received; a replay is a refresh request presenting a refresh token already presented once (each process reports a hash of what it presented); latency is per request, from its start to its settlement, with the processes already running: every request of the storm waits on the one renewal, so p50 and the slowest are how long that wait took. Variants: an unstorage fs store without a lock (the "before"), the same with \`fileLock\`, and unstorage's redis driver with \`redisLock\` on a local redis-server. ${runs} run(s) each; token calls and replays are medians, failures are totals${runs > 1 ? ' (each run in brackets)' : ''}.`,
      headers: [
        'fleet',
        'processes × requests',
        'token calls',
        'replays',
        'failed',
        'p50',
        'p99',
        'slowest',
      ],
      rows,
      notes,
      summary: VARIANTS.map((v) => line(v.id)).join('; '),
      data,
    }
  },
}
