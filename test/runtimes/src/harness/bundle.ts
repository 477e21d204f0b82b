import { fileURLToPath } from 'node:url'
import { type BuildOptions, build } from 'esbuild'

/** How a runtime resolves packages: esbuild's platform plus the export conditions it honours. */
export type Target = 'node' | 'bun' | 'deno' | 'workerd' | 'browser'

const TARGETS: Record<Target, BuildOptions> = {
  // esbuild adds the `node` condition on the node platform and `browser` on the browser platform.
  node: { platform: 'node' },
  bun: { platform: 'node', conditions: ['bun'] },
  deno: { platform: 'neutral', conditions: ['deno'], mainFields: ['module', 'main'] },
  // workerd's own modules (`cloudflare:workers`, for @sfauth/cloudflare) are the runtime's.
  workerd: { platform: 'browser', conditions: ['workerd', 'worker'], external: ['cloudflare:*'] },
  browser: { platform: 'browser' },
}

const ENTRIES = {
  script: fileURLToPath(new URL('../entries/script.ts', import.meta.url)),
  worker: fileURLToPath(new URL('../entries/worker.ts', import.meta.url)),
}

/**
 * Bundles the suite for one runtime from the BUILT packages (their `exports` under the runtime's
 * conditions), with the control server's URL baked in. Nothing is left external but workerd's
 * own `cloudflare:*` modules: a Node built-in reaching the deno, workerd or browser bundles fails
 * the build.
 */
export async function bundleSuite(
  target: Target,
  entry: keyof typeof ENTRIES,
  controlUrl: string,
): Promise<string> {
  const result = await build({
    ...TARGETS[target],
    entryPoints: [ENTRIES[entry]],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: { __CONTROL_URL__: JSON.stringify(controlUrl) },
  })
  const [file] = result.outputFiles
  if (!file) throw new Error('esbuild produced no output')
  return file.text
}
