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
      BENCH: JSON.stringify({ url: ctx.url, ...ctx.creds, rounds: ctx.runs, batch }),
    }
    const { stdout } = await timeNode([childScript('warm.mjs')], { cwd: ctx.cwd, env })
    const perRound = lastJson<Record<string, number[]>>(stdout)
    const m = (name: string) => median(perRound[name] ?? [])
    const base = m('raw fetch')
    return {
      id: this.id,
      title: this.title,
      method: `One client process, each client logged in once; ${ctx.runs} rounds of ${batch} sequential \`GET /services/data/v62.0/\` per client, interleaved with the order rotated each round, after a warm-up round; raw fetch sends the bearer header and parses the JSON as the libraries do; median µs per request.`,
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
