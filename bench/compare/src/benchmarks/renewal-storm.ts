import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { childScript, forkChild } from '../child.js'
import { mintTokens } from '../mint-tokens.js'
import { median, percentile } from '../stats.js'
import type { BenchContext, Benchmark } from '../types.js'

const LIBS = ['@sfauth', 'jsforce'] as const
const EXPIRIES = 2

interface Phase {
  tokenCalls: number
  replays: number
  failures: number
  networkFailures: number
  errors: Record<string, number>
  latencies: number[]
  refreshEvents: number
}

/**
 * A loopback login host in front of the emulator that counts refresh-token replays: a refresh
 * request presenting a refresh token already presented once. Everything is forwarded unchanged.
 */
async function replayCounter(target: string): Promise<{
  url: string
  replays: () => number
  close: () => Promise<void>
}> {
  const seen = new Set<string>()
  let replays = 0
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => forward().catch(() => res.writeHead(502).end()))
    const forward = async () => {
      const body = Buffer.concat(chunks)
      const form = new URLSearchParams(body.toString('utf8'))
      const presented = form.get('grant_type') === 'refresh_token' && form.get('refresh_token')
      if (presented) {
        if (seen.has(presented)) replays += 1
        seen.add(presented)
      }
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string' && ['content-type', 'authorization', 'accept'].includes(k))
          headers[k] = v
      }
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
        redirect: 'manual',
      })
      const out = Buffer.from(await upstream.arrayBuffer())
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
      })
      res.end(out)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    replays: () => replays,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

async function stormOnce(ctx: BenchContext, lib: string, n: number): Promise<Phase[]> {
  const proxy = await replayCounter(ctx.url)
  try {
    const { accessToken, refreshToken } = await mintTokens(ctx)
    const tokens = { accessToken, refreshToken, loginUrl: proxy.url }
    let callsBefore = 0
    let replaysBefore = 0
    return await forkChild<Phase[]>(childScript('storm.mjs'), {
      cwd: ctx.cwd,
      env: {
        BENCH: JSON.stringify({ url: ctx.url, ...ctx.creds, lib, n, expiries: EXPIRIES, tokens }),
      },
      onMessage(message, child) {
        if (message.type === 'expire') {
          ctx.emulator.expireSessions()
          callsBefore = ctx.emulator.count('token', 'refresh_token')
          replaysBefore = proxy.replays()
          child.send({})
        } else if (message.type === 'phase-done') {
          child.send({
            tokenCalls: ctx.emulator.count('token', 'refresh_token') - callsBefore,
            replays: proxy.replays() - replaysBefore,
          })
        }
      },
    })
  } finally {
    await proxy.close()
  }
}

/**
 * N concurrent requests on one connection right after its session expired, twice in a row,
 * with refresh-token rotation on: how many token calls, replays and failures each library makes.
 */
export const renewalStorm: Benchmark = {
  id: 'renewal-storm',
  title: 'Renewal storm',
  async run(ctx) {
    const n = ctx.options.quick ? 200 : 1_000
    const runs = Math.max(1, Math.ceil(ctx.runs / 5))
    const all = new Map<string, Phase[][]>(LIBS.map((lib) => [lib, []]))
    for (let run = 0; run < runs; run++) {
      for (const lib of LIBS) all.get(lib)!.push(await stormOnce(ctx, lib, n))
    }
    const rows: string[][] = []
    const notes: string[] = []
    const data: Record<string, unknown> = { n, runs, expiries: EXPIRIES }
    for (const lib of LIBS) {
      const phases = []
      for (let e = 0; e < EXPIRIES; e++) {
        const list = all.get(lib)!.map((p) => p[e]!)
        const pick = (f: (p: Phase) => number) => median(list.map(f))
        const latencies = list.flatMap((p) => p.latencies)
        const sum = (f: (p: Phase) => number) => list.reduce((t, p) => t + f(p), 0)
        const phase = {
          tokenCalls: pick((p) => p.tokenCalls),
          tokenCallsEach: list.map((p) => p.tokenCalls),
          replays: pick((p) => p.replays),
          replaysEach: list.map((p) => p.replays),
          // Failures are totals over every run: a failure in one run is not a median away.
          requests: n * runs,
          failures: sum((p) => p.failures),
          failuresEach: list.map((p) => p.failures),
          networkFailures: sum((p) => p.networkFailures),
          errors: list.reduce<Record<string, number>>((all, p) => {
            for (const [label, count] of Object.entries(p.errors))
              all[label] = (all[label] ?? 0) + count
            return all
          }, {}),
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
        }
        phases.push(phase)
        for (const [label, count] of Object.entries(phase.errors)) {
          notes.push(`${lib}, expiry ${e + 1}: ${count} × \`${label}\``)
        }
        const each = (values: number[]) => (runs > 1 ? ` (${values.join(', ')})` : '')
        rows.push([
          lib,
          String(e + 1),
          `${phase.tokenCalls}${each(phase.tokenCallsEach)}`,
          `${phase.replays}${each(phase.replaysEach)}`,
          `${phase.failures} of ${phase.requests}${each(phase.failuresEach)}`,
          String(phase.networkFailures),
          `${phase.p50.toFixed(1)} ms`,
          `${phase.p99.toFixed(1)} ms`,
        ])
      }
      data[lib === '@sfauth' ? 'sfauth' : 'jsforce'] = phases
    }
    const line = (lib: string) => {
      const phases = data[lib === '@sfauth' ? 'sfauth' : 'jsforce'] as {
        tokenCalls: number
        replays: number
        failures: number
        networkFailures: number
        requests: number
      }[]
      const then = (f: (p: (typeof phases)[number]) => string | number) =>
        phases.map(f).join(' then ')
      const network = phases.reduce((t, p) => t + p.networkFailures, 0)
      return `${lib} ${then((p) => p.tokenCalls)} token call(s), ${then((p) => p.replays)} replay(s), ${then((p) => `${p.failures}/${p.requests}`)} failed${network > 0 ? ` (${network} of them socket errors, not renewal)` : ''}`
    }
    return {
      id: this.id,
      title: this.title,
      method: `One connection per library made from a fresh refresh token (connected app with \`rotateRefreshTokens: true\`). Every session is expired on the emulator, then ${n.toLocaleString('en')} \`conn.request()\` calls start at once; then the same again (expiry 2). Token calls are refresh-token grants the emulator received; a replay is a refresh request presenting a refresh token already presented once (counted by a loopback login host in front of the emulator); latency is per request, from its start to its settlement, over all runs; \`of which network\` counts failures with a socket error under them (a reset keep-alive socket), not a renewal failure. ${runs} run(s) per library, interleaved; token calls and replays are medians, failures are totals${runs > 1 ? ' (each run in brackets)' : ''}.`,
      headers: [
        'library',
        'expiry',
        'token calls',
        'replays',
        'failed',
        'of which network',
        'p50',
        'p99',
      ],
      rows,
      notes,
      summary: `${line('@sfauth')}; ${line('jsforce')} (expiry 1 then 2, ${n.toLocaleString('en')} concurrent requests, ${runs} run(s))`,
      data,
    }
  },
}
