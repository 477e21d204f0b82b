import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.preset.ts'

export default defineConfig(
  packageBuild({
    // server.ts is its own entry: index.js loads it by a specifier bundlers cannot follow.
    entry: ['src/index.ts', 'src/msw.ts', 'src/server.ts'],
    // Only the loopback server uses node:http; it stays an import, never bundled.
    deps: { neverBundle: [/^node:/] },
  }),
)
