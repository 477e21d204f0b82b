import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: ['src/index.ts', 'src/msw.ts'],
  format: 'esm',
  platform: 'neutral',
  dts: true,
  sourcemap: false,
  clean: true,
  // Only the lazily imported loopback server uses node:http; it stays an import, never bundled.
  deps: { neverBundle: [/^node:/] },
})
