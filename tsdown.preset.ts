import type { UserConfig } from 'tsdown'

/**
 * What every published package builds with: ESM with declarations, no source maps, a clean
 * dist, runtime-neutral unless the entry is Node-only. A package's tsdown.config.ts passes only
 * what is its own (entries, platform, what may be bundled).
 */
export function packageBuild(config: UserConfig = {}): UserConfig {
  return {
    entry: ['src/index.ts'],
    format: 'esm',
    platform: 'neutral',
    dts: true,
    sourcemap: false,
    clean: true,
    // JSDoc lives in the .d.ts files, where editors read it; the .js files keep only the legal and
    // `#__PURE__` comments. Each byte of a module is read and parsed on import, so this is cold-start
    // time in Node (ARCHITECTURE.md, "One runtime file").
    outputOptions: { comments: { legal: true, annotation: true, jsdoc: false } },
    ...config,
  }
}
