import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.preset.ts'

export default defineConfig(
  packageBuild({
    // server.ts, run.ts and bin.ts are their own entries, each loading the next by a specifier
    // bundlers cannot follow (index.js → server.js; bin.js → run.js → index.js), so no chunk is shared.
    entry: ['src/index.ts', 'src/msw.ts', 'src/server.ts', 'src/run.ts', 'src/bin.ts'],
    // Only the loopback server uses node:http; it stays an import, never bundled.
    deps: { neverBundle: [/^node:/] },
  }),
)
