import { defineConfig } from 'tsdown'

export default defineConfig([
  // The main entry: runtime-neutral, one file that imports nothing but @sfauth/core.
  {
    entry: ['src/index.ts'],
    format: 'esm',
    platform: 'neutral',
    dts: true,
    sourcemap: false,
    clean: true,
  },
  // '@sfauth/session/file-lock': Node only (node:fs, proper-lockfile). Bundled on its own so
  // the main entry shares no chunk with it; the few lines of lock.ts it needs are inlined.
  {
    entry: { 'file-lock': 'src/node/file-lock.ts' },
    format: 'esm',
    platform: 'node',
    fixedExtension: false,
    dts: true,
    sourcemap: false,
    clean: false,
  },
])
