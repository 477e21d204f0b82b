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
    ],
  },
})
