import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.preset.ts'

export default defineConfig(
  packageBuild({
    // Two entries: `@sfauth/core` for applications, `@sfauth/core/flow` for flow authors.
    entry: { index: 'src/index.ts', flow: 'src/flow.ts' },
    // ofetch's runtime-neutral build is inlined (with ufo and destr): its `node` export would bring
    // node-fetch-native into every Node bundle (README, "Why ofetch is inlined"). Anything else
    // from node_modules fails the build.
    deps: { onlyBundle: ['ofetch', 'ufo', 'destr'] },
  }),
)
