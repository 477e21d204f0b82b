import { childScript, lastJson, timeNode } from '../child.js'
import { median, ratio, us } from '../stats.js'
import type { Benchmark } from '../types.js'
import { LIBS } from '../types.js'

/** Sequential `conn.request()` on a live session in one process, against raw fetch + JSON. */
export const warmRequest: Benchmark = {
  id: 'warm-request',
  title: 'Warm request',
  async run(ctx) {
    const batch = ctx.options.quick ? 20 : 100
    const env = {
      BENCH: JSON.stringify({ url: ctx.url, ...ctx.creds, rounds: ctx.runs, batch, warmup: 30 }),
    }
    const { stdout } = await timeNode([childScript('warm.mjs')], { cwd: ctx.cwd, env })
    const latencies = lastJson<Record<string, number[]>>(stdout)
    const m = (name: string) => median(latencies[name] ?? [])
    const base = m('raw fetch')
    return {
      id: this.id,
      title: this.title,
      method: `One client process, each client logged in once, then ${(ctx.runs * batch).toLocaleString('en')} sequential \`GET /services/data/v62.0/\` per client (${ctx.runs} runs × ${batch}) after 30 warm-up ones, interleaved one request at a time with the order rotated each time; raw fetch sends the bearer header and parses the JSON as the libraries do; median latency per request.`,
      headers: ['client', 'per request', 'vs raw fetch'],
      rows: LIBS.map((name) => [name, us(m(name)), ratio(m(name), base)]),
      summary: `@sfauth ${ratio(m('@sfauth'), base)} vs jsforce ${ratio(m('jsforce'), base)} of raw fetch`,
      data: {
        rawUs: base,
        sfauthRatio: m('@sfauth') / base,
        jsforceRatio: m('jsforce') / base,
        batch,
        rounds: ctx.runs,
      },
    }
  },
}
