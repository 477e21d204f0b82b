import { childScript, timeNode } from '../child.js'
import { median, ms, ratio } from '../stats.js'
import type { Benchmark } from '../types.js'

const VARIANTS = [
  { name: 'raw fetch', script: 'cold-start-raw-fetch.mjs' },
  { name: '@sfauth', script: 'cold-start-sfauth.mjs' },
  { name: 'jsforce', script: 'cold-start-jsforce.mjs' },
] as const

/** A fresh process: import, log in (OAuth2 password grant), one REST call, exit. */
export const coldStart: Benchmark = {
  id: 'cold-start',
  title: 'Cold start to first login + REST call',
  async run(ctx) {
    const env = { BENCH: JSON.stringify({ url: ctx.url, ...ctx.creds }) }
    const times = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]))
    for (let run = 0; run < ctx.runs; run++) {
      for (const v of VARIANTS) {
        const { ms: t } = await timeNode([childScript(v.script)], { cwd: ctx.cwd, env })
        times.get(v.name)!.push(t)
      }
    }
    const m = (name: string) => median(times.get(name)!)
    const base = m('raw fetch')
    return {
      id: this.id,
      title: this.title,
      method: `Wall time of a fresh \`node\` process that imports the library, logs in with the OAuth2 password grant and makes one REST call (\`GET /services/data/v62.0/\`), against a process making the same two calls with Node's \`fetch\`; ${ctx.runs} runs, interleaved, medians.`,
      headers: ['process', 'median', 'vs raw fetch'],
      rows: VARIANTS.map((v) => [v.name, ms(m(v.name)), ratio(m(v.name), base)]),
      summary: `@sfauth ${ratio(m('@sfauth'), base)} vs jsforce ${ratio(m('jsforce'), base)} of raw fetch`,
      data: {
        rawMs: base,
        sfauthRatio: m('@sfauth') / base,
        jsforceRatio: m('jsforce') / base,
        runs: ctx.runs,
      },
    }
  },
}
