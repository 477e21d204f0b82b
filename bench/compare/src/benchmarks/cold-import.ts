import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bundleChildren } from '../bundle.js'
import { childScript, timeRounds } from '../child.js'
import { median, middleHalf, ms, paired, pairedMedian } from '../stats.js'
import type { Benchmark } from '../types.js'

/** The cold-import target, since a serverless function pays it on every new instance: @sfauth/core and one flow, over bare Node. */
export const COLD_IMPORT_TARGET_MS = 10

/**
 * Rounds per `--runs`: the effect measured is a few ms against a round-to-round spread of about
 * ±5 ms (cold start: ±5%) on a shared 2-core machine, so the median needs many rounds to settle.
 */
export const COLD_ROUNDS_PER_RUN = 10

/**
 * An npm package with nothing in it but an exports map and an empty module, next to an app file
 * that imports it: what importing any package costs Node (resolution, reading, linking), the floor
 * under every library's figure.
 */
function emptyPackageApp(dir: string): string {
  const pkg = join(dir, 'node_modules', 'empty-package')
  mkdirSync(pkg, { recursive: true })
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'empty-package',
      type: 'module',
      exports: { '.': { import: './index.js', default: './index.js' } },
    }),
  )
  writeFileSync(join(pkg, 'index.js'), 'export {}\n')
  const app = join(dir, 'import-empty-package.mjs')
  writeFileSync(app, "export * from 'empty-package'\n")
  return app
}

/**
 * Fresh `node` processes, each running one ES module file: an empty one (the app every variant
 * is measured against), core + oauth2 and core + client-credentials from node_modules and bundled
 * by esbuild for the Node platform (the serverless case), and jsforce. `node -e ""` (no module file at all) is measured
 * too, so the figure over Node with nothing loaded is in the table as well.
 */
export const coldImport: Benchmark = {
  id: 'cold-import',
  title: 'Cold import',
  async run(ctx) {
    const bundled = await bundleChildren(['import-sfauth.mjs', 'import-sfauth-cc.mjs'], ctx.cwd)
    const emptyPackage = emptyPackageApp(bundled.dir)
    const file = (script: string) => [childScript(script)]
    const VARIANTS = [
      { name: 'node -e ""', args: ['--input-type=module', '-e', ''] },
      { name: 'empty app module', args: file('import-none.mjs') },
      { name: 'an empty npm package', args: [emptyPackage] },
      { name: '@sfauth (core + oauth2)', args: file('import-sfauth.mjs') },
      { name: '@sfauth (core + oauth2), bundled', args: [bundled.paths['import-sfauth.mjs']!] },
      { name: '@sfauth (core + client-credentials)', args: file('import-sfauth-cc.mjs') },
      {
        name: '@sfauth (core + client-credentials), bundled',
        args: [bundled.paths['import-sfauth-cc.mjs']!],
      },
      { name: 'jsforce', args: file('import-jsforce.mjs') },
    ]
    const times = await timeRounds(VARIANTS, ctx.runs * COLD_ROUNDS_PER_RUN, {
      cwd: ctx.cwd,
    }).finally(bundled.dispose)
    const of = (name: string) => times.get(name)!
    const over = (name: string, base: string) =>
      pairedMedian(of(name), of(base), (value, b) => value - b)
    const signed = (value: number) => `${value < 0 ? '−' : '+'}${ms(Math.abs(value))}`
    const spread = (name: string) =>
      middleHalf(
        paired(of(name), of('empty app module'), (value, b) => value - b),
        signed,
      )
    const rows = VARIANTS.map((v) => [
      v.name,
      ms(median(of(v.name))),
      v.name === 'empty app module' ? '—' : signed(over(v.name, 'empty app module')),
      v.name === 'empty app module' ? '—' : spread(v.name),
      v.name === 'node -e ""' ? '—' : signed(over(v.name, 'node -e ""')),
    ])
    // The target is for core + one flow: the worse of the two flows measured.
    const worst = (suffix: string, base: string) =>
      Math.max(
        over(`@sfauth (core + oauth2)${suffix}`, base),
        over(`@sfauth (core + client-credentials)${suffix}`, base),
      )
    const sfauth = worst('', 'empty app module')
    const sfauthBare = worst('', 'node -e ""')
    const sfauthBundled = worst(', bundled', 'empty app module')
    const jsforce = over('jsforce', 'empty app module')
    const floor = over('an empty npm package', 'empty app module')
    const verdict = (value: number) => (value <= COLD_IMPORT_TARGET_MS ? 'within' : 'over')
    return {
      id: this.id,
      title: this.title,
      method: `Wall time of a fresh \`node <file>\` from spawn to exit; each file is one ES module that imports the library (\`src/children/import-*.mjs\`). "Over" is the median, over ${ctx.runs * COLD_ROUNDS_PER_RUN} interleaved rounds, of each round's difference from the empty app module (what every ES module app pays) and from \`node -e ""\` (Node with no module file); "middle half of rounds" is the 25th to 75th percentile of those differences, the noise each single round carries. "An empty npm package" is an app importing a package with an exports map and an empty module: what Node charges for importing any package. A bundled row is the same file bundled by esbuild for the Node platform, as a serverless function ships it. Target: core + one flow at most ${COLD_IMPORT_TARGET_MS} ms over bare Node.`,
      headers: [
        'process',
        'median',
        'over an empty app',
        'middle half of rounds',
        'over node -e ""',
      ],
      rows,
      notes: [
        `@sfauth (core + one flow, the worse of the two) from node_modules is ${ms(sfauth)} over an empty app (${verdict(sfauth)} the ${COLD_IMPORT_TARGET_MS} ms target) and ${ms(sfauthBare)} over \`node -e ""\` (${verdict(sfauthBare)}); bundled, ${ms(sfauthBundled)} (${verdict(sfauthBundled)}). An empty npm package costs ${ms(floor)} over an empty app.`,
      ],
      summary: `@sfauth ${signed(sfauth)} (bundled ${signed(sfauthBundled)}) vs jsforce ${signed(jsforce)} over an empty app module; @sfauth ${signed(sfauthBare)} over \`node -e ""\``,
      data: {
        sfauthOverMs: sfauth,
        sfauthOverBareMs: sfauthBare,
        sfauthBundledOverMs: sfauthBundled,
        jsforceOverMs: jsforce,
        emptyPackageOverMs: floor,
        targetMs: COLD_IMPORT_TARGET_MS,
        rounds: ctx.runs * COLD_ROUNDS_PER_RUN,
      },
    }
  },
}
