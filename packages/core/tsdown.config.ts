import { defineConfig } from 'tsdown'

export default defineConfig({
  // Two entries: `@sfauth/core` for applications, `@sfauth/core/flow` for flow authors.
  entry: { index: 'src/index.ts', flow: 'src/flow.ts' },
  format: 'esm',
  platform: 'neutral',
  dts: true,
  sourcemap: false,
  clean: true,
})
