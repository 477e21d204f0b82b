// `pnpm bench`: @sfauth side by side with jsforce against the emulator on loopback. Prints the
// figures and ratios and writes bench/RESULTS.md (a full run only, unless --out is given).
//   --quick         few repetitions, small storm and heap runs (a smoke test; RESULTS.md untouched)
//   --runs=N        repetitions of each interleaved comparison (default 15, quick 3)
//   --only=a,b      run only these benchmarks (ids: cold-import, cold-start, warm-request,
//   --skip=a,b        renewal-storm, fleet-storm, edge-fleet-storm, memory, cli-token, bundle-size)
//   --out=FILE      write the Markdown there instead
import { fileURLToPath } from 'node:url'
import { runBench } from './run.js'

const RESULTS = fileURLToPath(new URL('../../RESULTS.md', import.meta.url))

const flag = (name: string) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`))
  return arg?.slice(name.length + 3)
}
const list = (name: string) => flag(name)?.split(',').filter(Boolean)
const quick = process.argv.includes('--quick')
const runs = flag('runs')

const result = await runBench({
  quick,
  ...(runs ? { runs: Number(runs) } : {}),
  ...(list('only') ? { only: list('only') } : {}),
  ...(list('skip') ? { skip: list('skip') } : {}),
  ...(flag('out') ? { out: flag('out') } : quick || list('only') ? {} : { out: RESULTS }),
})
console.log(`Machine: ${result.machine}`)
console.log(result.text)
if (!quick && !list('only')) console.log(`\nwrote ${flag('out') ?? RESULTS}`)
