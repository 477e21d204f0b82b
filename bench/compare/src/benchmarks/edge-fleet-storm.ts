// The edge fleet harness lives with the package it proves (its tests run the same storms).
import {
  bundleFleetWorker,
  EdgeFleet,
} from '../../../../packages/cloudflare/test/fleet/edge-fleet.js'
import { percentile } from '../stats.js'
import { type Storm, type StormTotals, stormLine, summarizeStorms } from '../storm.js'
import type { Benchmark } from '../types.js'

/** The edge fleets measured: the Durable Object, and Workers KV without a lock (the "before"). */
const VARIANTS = [
  { id: 'KV, no lock', store: 'kv' },
  { id: 'Durable Object', store: 'durable' },
] as const

/** One fleet, one saved session, one expiry: every isolate fires `requests` at once. */
async function stormOnce(
  script: string,
  store: 'kv' | 'durable',
  shape: { isolates: number; requests: number },
): Promise<Storm> {
  const fleet = await EdgeFleet.start({ isolates: shape.isolates, store, script })
  try {
    await fleet.seed()
    // Every isolate restores the saved session first, so the storm starts on live connections.
    await fleet.storm(1)
    const since = fleet.calls.length
    fleet.emu.expireSessions()
    const round = await fleet.storm(shape.requests)
    return {
      tokenCalls: fleet.tokenCalls(since),
      replays: fleet.replays(since),
      failures: round.failures,
      errors: round.codes,
      latencies: round.latencies,
    }
  } finally {
    await fleet.dispose()
  }
}

/**
 * Worker isolates × requests sharing one session across an expiry in real workerd (Miniflare),
 * refresh-token rotation on: token calls, replays, failures, and how long the requests waiting on
 * the renewal took, for the Durable Object of @sfauth/cloudflare (at 4 and 16 isolates) and for
 * Workers KV without a lock.
 */
export const edgeFleetStorm: Benchmark = {
  id: 'edge-fleet-storm',
  title: 'Edge fleet storm',
  async run(ctx) {
    const requests = ctx.options.quick ? 20 : 50
    const shapes = VARIANTS.flatMap((variant) =>
      (variant.store === 'durable' && !ctx.options.quick ? [4, 16] : [4]).map((isolates) => ({
        variant,
        isolates,
      })),
    )
    const runs = ctx.options.quick ? 1 : Math.max(1, Math.ceil(ctx.runs / 5))
    const script = await bundleFleetWorker()
    const rows: string[][] = []
    const notes: string[] = []
    const data: Record<string, unknown> = { requests, runs }
    for (const { variant, isolates } of shapes) {
      ctx.log(`edge-fleet-storm: ${variant.id}, ${isolates} isolates`)
      const storms: Storm[] = []
      for (let run = 0; run < runs; run++) {
        storms.push(await stormOnce(script, variant.store, { isolates, requests }))
      }
      const { totals, latencies, errors, cells } = summarizeStorms(
        storms,
        isolates * requests * runs,
      )
      const figures = {
        isolates,
        ...totals,
        p50: percentile(latencies, 50),
        slowest: Math.max(...latencies),
      }
      const key = `${variant.id} × ${isolates}`
      data[key] = figures
      for (const [code, n] of Object.entries(errors)) notes.push(`${key}: ${n} × \`${code}\``)
      rows.push([
        variant.id,
        `${isolates} × ${requests}`,
        ...cells,
        `${figures.p50.toFixed(0)} ms`,
        `${figures.slowest.toFixed(0)} ms`,
      ])
    }
    const line = (key: string) => stormLine(`${key} isolates:`, data[key] as StormTotals)
    return {
      id: this.id,
      title: this.title,
      method: `Worker isolates in real workerd (Miniflare ${'4.20260426.0'}, no \`nodejs_compat\`): one Worker script run as N services, each its own isolate with its own \`Connection\` (OAuth2 + \`session()\`), all bound to one Durable Object namespace and one KV namespace; every outbound fetch goes to the emulator in the bench process (connected app with \`rotateRefreshTokens: true\`). One saved session; each isolate restores it, every session is expired on the emulator, then each isolate fires ${requests} \`conn.request()\` calls at once. Token calls are refresh-token grants the emulator received; a replay is a refresh request presenting a refresh token already presented once; latency is per request inside its isolate, from its start to its settlement: every request of the round waits on the renewal, so the median and the slowest are how long that wait took. Variants: \`durableSession()\` from @sfauth/cloudflare (store and lock in the Durable Object) at 4${ctx.options.quick ? '' : ' and 16'} isolates, and a Workers KV store without a lock (each isolate keeps what it read for KV's documented 60 s, as another location would: Miniflare's local KV is one consistent database). ${runs} run(s) each; token calls and replays are medians, failures are totals.`,
      headers: [
        'edge fleet',
        'isolates × requests',
        'token calls',
        'replays',
        'failed',
        'p50',
        'slowest',
      ],
      rows,
      notes,
      summary: shapes.map((s) => line(`${s.variant.id} × ${s.isolates}`)).join('; '),
      data,
    }
  },
}
