import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { build } from 'esbuild'
import { childScript } from './child.js'

/**
 * Bundles child scripts as a serverless Node function ships: esbuild, `platform: 'node'`, one ES
 * module file each, dependencies inlined (what a Lambda or Vercel build does). Returns the bundled
 * paths by script name, their scratch `dir`, and a `dispose` that deletes it.
 */
export async function bundleChildren(
  scripts: string[],
  cwd: string,
): Promise<{ paths: Record<string, string>; dir: string; dispose: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'sfauth-bench-bundle-'))
  const paths: Record<string, string> = {}
  for (const script of scripts) {
    const outfile = join(dir, basename(script).replace(/\.mjs$/, '.bundle.mjs'))
    await build({
      entryPoints: [childScript(script)],
      absWorkingDir: cwd,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'silent',
    })
    paths[script] = outfile
  }
  return { paths, dir, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}
