import { builtinModules } from 'node:module'
import { gzipSync } from 'node:zlib'
import { build, type Metafile, type Plugin } from 'esbuild'
import type { ImportSet } from './sets.js'

/**
 * Where a bundle runs. `browser`: platform 'browser' with the `worker` and `browser` conditions
 * (edge workers and browsers). `node`: platform 'node' with its default `node` condition, what a
 * Lambda or Vercel Node function bundles; Node built-ins stay external there, as they must.
 */
export type Platform = 'browser' | 'node'

/** Both platforms, in the order they are printed. */
export const PLATFORMS: readonly Platform[] = ['browser', 'node']

/** A bundle's size and what went into it. */
export interface Measurement {
  minBytes: number
  gzipBytes: number
  /** Input files (relative to the bench package) and the bytes each left in the output. */
  inputs: { path: string; bytes: number }[]
  /** Node built-ins left out (only with `leaveNodeBuiltins`): what a browser app must polyfill. */
  nodeBuiltins: string[]
}

const BUILTINS = new Set(builtinModules)

/** Marks Node built-in imports external and records them, instead of failing the build. */
function recordNodeBuiltins(found: Set<string>): Plugin {
  return {
    name: 'record-node-builtins',
    setup(b) {
      b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
        const name = args.path.replace(/^node:/, '').replace(/\/$/, '')
        if (!BUILTINS.has(name) && !BUILTINS.has(name.split('/')[0] ?? '')) return undefined
        found.add(name)
        return { path: args.path, external: true }
      })
    },
  }
}

/**
 * Bundles an import set the way an app on `platform` would: minified ESM, nothing external but
 * Node built-ins on the node platform, from the BUILT packages. The browser platform uses the
 * `worker` and `browser` export conditions; the node platform esbuild's defaults (`node`). Only inputs that left bytes in the output count as included (tree-shaken ones are 0).
 * `leaveNodeBuiltins` is for jsforce, whose browser build still imports Node built-ins: they are
 * left out and listed, so its figure is a lower bound (a browser app also ships polyfills).
 * `external` leaves packages out, to see what each one costs.
 */
export async function measure(
  set: ImportSet,
  resolveDir: string,
  { leaveNodeBuiltins = false, external = [] as string[], platform = 'browser' as Platform } = {},
): Promise<Measurement> {
  const builtins = new Set<string>()
  const result = await build({
    plugins: leaveNodeBuiltins ? [recordNodeBuiltins(builtins)] : [],
    external: [...(set.external ?? []), ...external],
    stdin: { contents: set.source, resolveDir, sourcefile: 'import-set.js', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    ...(platform === 'browser' ? { conditions: ['worker', 'browser'] } : {}),
    target: 'es2022',
    metafile: true,
    write: false,
    outfile: 'out.js',
    logLevel: 'silent',
    legalComments: 'none',
  })
  const [file] = result.outputFiles
  if (!file) throw new Error(`esbuild produced no output for ${set.name} (${platform})`)
  return {
    minBytes: file.contents.byteLength,
    gzipBytes: gzipSync(file.contents, { level: 9 }).byteLength,
    inputs: includedInputs(result.metafile),
    nodeBuiltins: [...builtins].sort(),
  }
}

function includedInputs(metafile: Metafile): Measurement['inputs'] {
  const [output] = Object.values(metafile.outputs)
  if (!output) return []
  return Object.entries(output.inputs)
    .map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }))
    .filter((input) => input.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
}
