// Bundles the Worker as Wrangler does: esbuild, ES module output, and the `workerd`, `worker` and
// `browser` export conditions, so every dependency resolves to its edge build, never a Node one.
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

const root = fileURLToPath(new URL('.', import.meta.url))

/** Where the bundle is written. */
export const outfile = fileURLToPath(new URL('dist/worker.js', import.meta.url))

/**
 * Builds `dist/worker.js` from `src/worker.ts`.
 * @returns the bundle's path.
 */
export async function bundle() {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/worker.ts'],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    // workerd's own module (the Durable Object base class), never bundled.
    external: ['cloudflare:*'],
    logLevel: 'warning',
  })
  return outfile
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle()
