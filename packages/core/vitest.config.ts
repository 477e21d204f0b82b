import { fileURLToPath } from 'node:url'
import { vitestPreset } from '@sfauth/test-kit/vitest'

// Core tests its source: the kit's imports of '@sfauth/core' must reach the same classes
// (SfAuthError for instanceof), so they resolve to src here, not to the built package.
export default vitestPreset({
  resolve: {
    alias: [
      {
        find: /^@sfauth\/core$/,
        replacement: fileURLToPath(new URL('src/index.ts', import.meta.url)),
      },
      // src/frontdoor.ts imports the published flow entry (it ships as a file of its own).
      {
        find: /^@sfauth\/core\/flow$/,
        replacement: fileURLToPath(new URL('src/flow.ts', import.meta.url)),
      },
    ],
  },
})
