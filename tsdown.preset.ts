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
    ...config,
  }
}
