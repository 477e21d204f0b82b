import { defineConfig } from 'tsdown'

export default defineConfig({
  // server.ts is its own entry: index.js loads it by a specifier bundlers cannot follow.
  entry: ['src/index.ts', 'src/msw.ts', 'src/server.ts'],
  format: 'esm',
  platform: 'neutral',
  dts: true,
  sourcemap: false,
  clean: true,
  // Only the loopback server uses node:http; it stays an import, never bundled.
  deps: { neverBundle: [/^node:/] },
})
