import { childScript, lastJson, timeNode } from '../child.js'
import { median } from '../stats.js'
import type { Benchmark } from '../types.js'

const LIBS = ['@sfauth', 'jsforce'] as const

/** Heap per connection: N connections kept alive in a fresh process, gc() before and after. */
export const memory: Benchmark = {
  id: 'memory',
  title: 'Memory per connection',
  async run(ctx) {
    const count = ctx.options.quick ? 1_000 : 10_000
    const runs = Math.max(1, Math.ceil(ctx.runs / 5))
    const env = { BENCH: JSON.stringify({ url: ctx.url, ...ctx.creds }) }
    const bytes = new Map<string, number[]>(LIBS.map((lib) => [lib, []]))
    for (let run = 0; run < runs; run++) {
      for (const lib of LIBS) {
        const { stdout } = await timeNode(
          ['--expose-gc', childScript('memory.mjs'), lib, String(count)],
          { cwd: ctx.cwd, env },
        )
        bytes.get(lib)!.push(lastJson<{ bytesPerConnection: number }>(stdout).bytesPerConnection)
      }
    }
    const m = (lib: string) => median(bytes.get(lib)!)
    const kb = (b: number) => `${(b / 1024).toFixed(2)} KB`
    return {
      id: this.id,
      title: this.title,
      method: `A fresh \`node --expose-gc\` process per library creates ${count.toLocaleString('en')} connections from an instance URL, an access token, a refresh token and OAuth2 client information, each with its own tokens, and keeps them; heap used after minus before (gc() around both), divided by ${count.toLocaleString('en')}; ${runs} runs each, interleaved, medians.`,
      headers: ['library', 'heap per connection', 'vs @sfauth'],
      rows: LIBS.map((lib) => [lib, kb(m(lib)), `${(m(lib) / m('@sfauth')).toFixed(1)}×`]),
      summary: `@sfauth ${kb(m('@sfauth'))} vs jsforce ${kb(m('jsforce'))} per connection`,
      data: { count, sfauthBytes: m('@sfauth'), jsforceBytes: m('jsforce'), runs },
    }
  },
}
