import { timeNode } from '../child.js'
import { median, ms, ratio } from '../stats.js'
import type { Benchmark } from '../types.js'

const VARIANTS = [
  { name: 'bare Node', code: '' },
  {
    name: '@sfauth (core + oauth2)',
    code: "await import('@sfauth/core'); await import('@sfauth/oauth2')",
  },
  { name: 'jsforce', code: "await import('jsforce')" },
] as const

/** Fresh `node` processes importing each library, interleaved with a bare `node -e ""`. */
export const coldImport: Benchmark = {
  id: 'cold-import',
  title: 'Cold import',
  async run(ctx) {
    const times = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]))
    for (let run = 0; run < ctx.runs; run++) {
      for (const v of VARIANTS) {
        const { ms: t } = await timeNode(['--input-type=module', '-e', v.code], { cwd: ctx.cwd })
        times.get(v.name)!.push(t)
      }
    }
    const bare = median(times.get('bare Node')!)
    const rows = VARIANTS.map((v) => {
      const m = median(times.get(v.name)!)
      return [v.name, ms(m), v.name === 'bare Node' ? '—' : `+${ms(m - bare)}`, ratio(m, bare)]
    })
    const over = (name: string) => median(times.get(name)!) - bare
    return {
      id: this.id,
      title: this.title,
      method: `Wall time of a fresh \`node --input-type=module -e "<imports>"\` from spawn to exit, against \`node -e ""\`; ${ctx.runs} runs, interleaved, medians.`,
      headers: ['process', 'median', 'over bare Node', 'ratio'],
      rows,
      summary: `@sfauth +${ms(over('@sfauth (core + oauth2)'))} vs jsforce +${ms(over('jsforce'))} over bare Node`,
      data: {
        bareMs: bare,
        sfauthOverMs: over('@sfauth (core + oauth2)'),
        jsforceOverMs: over('jsforce'),
        runs: ctx.runs,
      },
    }
  },
}
