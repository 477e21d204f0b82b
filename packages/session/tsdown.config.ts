import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.preset.ts'

export default defineConfig([
  // The main entry: runtime-neutral, one file that imports nothing but @sfauth/core.
  packageBuild(),
  // '@sfauth/session/file-lock': Node only (node:fs, proper-lockfile). Bundled on its own so
  // the main entry shares no chunk with it; the few lines of lock.ts it needs are inlined.
  packageBuild({
    entry: { 'file-lock': 'src/node/file-lock.ts' },
    platform: 'node',
    fixedExtension: false,
    clean: false,
  }),
])
