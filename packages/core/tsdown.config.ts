import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  platform: 'neutral',
  dts: true,
  sourcemap: false,
  clean: true,
  // ofetch's runtime-neutral build is inlined (with ufo and destr): its `node` export would bring
  // node-fetch-native into every Node bundle (README, "Why ofetch is inlined"). Anything else
  // from node_modules fails the build.
  deps: { onlyBundle: ['ofetch', 'ufo', 'destr'] },
})
