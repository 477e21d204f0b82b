import { bundleChildren } from '../bundle.js'
import { childScript, timeRounds } from '../child.js'
import { median, middleHalf, ms, paired, pairedMedian } from '../stats.js'
import type { Benchmark } from '../types.js'
import { COLD_ROUNDS_PER_RUN } from './cold-import.js'

/** The cold-start target, since a serverless function pays it on every new instance: at most this multiple of the same two calls with raw fetch. */
export const COLD_START_TARGET = 1.03

const VARIANTS = [
  { name: 'raw fetch', script: 'cold-start-raw-fetch.mjs', bundled: false },
  { name: '@sfauth', script: 'cold-start-sfauth.mjs', bundled: false },
  { name: '@sfauth, bundled (esbuild, node)', script: 'cold-start-sfauth.mjs', bundled: true },
  { name: 'jsforce', script: 'cold-start-jsforce.mjs', bundled: false },
] as const

/** A fresh process: import, log in (OAuth2 password grant), one REST call, exit. */
export const coldStart: Benchmark = {
  id: 'cold-start',
  title: 'Cold start to first login + REST call',
  async run(ctx) {
    const env = { BENCH: JSON.stringify({ url: ctx.url, ...ctx.creds }) }
    const bundled = await bundleChildren(['cold-start-sfauth.mjs'], ctx.cwd)
    const variants = VARIANTS.map((v) => ({
      name: v.name,
      args: [v.bundled ? bundled.paths[v.script]! : childScript(v.script)],
    }))
    const times = await timeRounds(variants, ctx.runs * COLD_ROUNDS_PER_RUN, {
      cwd: ctx.cwd,
      env,
    }).finally(bundled.dispose)
    const of = (name: string) => times.get(name)!
    const vsRaw = (name: string) => pairedMedian(of(name), of('raw fetch'), (v, b) => v / b)
    const x = (value: number) => `${value.toFixed(3)}×`
    const [sfauth, sfauthBundled, jsforce] = [
      vsRaw('@sfauth'),
      vsRaw('@sfauth, bundled (esbuild, node)'),
      vsRaw('jsforce'),
    ]
    const verdict = (value: number) => (value <= COLD_START_TARGET ? 'within' : 'over')
    return {
      id: this.id,
      title: this.title,
      method: `Wall time of a fresh \`node\` process that imports the library, logs in with the OAuth2 password grant and makes one REST call (\`GET /services/data/v62.0/\`), against a process making the same two calls with Node's \`fetch\`; the ratio is the median, over ${ctx.runs * COLD_ROUNDS_PER_RUN} interleaved rounds, of each round's time over raw fetch's; "middle half of rounds" is the 25th to 75th percentile of those ratios. The bundled row is the same script bundled by esbuild for the Node platform, as a serverless function ships it. Target: at most ${COLD_START_TARGET}× raw fetch.`,
      headers: ['process', 'median', 'vs raw fetch', 'middle half of rounds'],
      rows: VARIANTS.map((v) =>
        v.name === 'raw fetch'
          ? [v.name, ms(median(of(v.name))), '1.000×', '—']
          : [
              v.name,
              ms(median(of(v.name))),
              x(vsRaw(v.name)),
              middleHalf(
                paired(of(v.name), of('raw fetch'), (value, b) => value / b),
                x,
              ),
            ],
      ),
      notes: [
        `@sfauth is ${x(sfauth)} of raw fetch from node_modules (${verdict(sfauth)} the ${COLD_START_TARGET}× target) and ${x(sfauthBundled)} bundled (${verdict(sfauthBundled)}).`,
      ],
      summary: `@sfauth ${x(sfauth)} (bundled ${x(sfauthBundled)}) vs jsforce ${x(jsforce)} of raw fetch`,
      data: {
        rawMs: median(of('raw fetch')),
        sfauthRatio: sfauth,
        sfauthBundledRatio: sfauthBundled,
        jsforceRatio: jsforce,
        target: COLD_START_TARGET,
        rounds: ctx.runs * COLD_ROUNDS_PER_RUN,
      },
    }
  },
}
