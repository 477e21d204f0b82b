// Plain JavaScript: vitest loads its config with Node, which does not run TypeScript from
// node_modules. The types are in vitest.d.ts.
import { defineConfig, mergeConfig } from 'vitest/config'

/**
 * The vitest configuration every package shares: `test/**\/*.test.ts`, with a time margin for
 * a saturated 2-core CI machine (RSA keys, child processes); no test asserts time.
 * A file opts into the edge runtime with `// @vitest-environment edge-runtime` on its first line.
 *
 * @param {import('vitest/config').ViteUserConfig} [overrides] merged over the preset
 * @returns {import('vitest/config').ViteUserConfig}
 */
export function vitestPreset(overrides = {}) {
  return mergeConfig(
    defineConfig({ test: { testTimeout: 20_000, include: ['test/**/*.test.ts'] } }),
    overrides,
  )
}
