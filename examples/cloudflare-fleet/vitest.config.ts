import { vitestPreset } from '@sfauth/test-kit/vitest'

// Bundling and starting workerd take a few seconds on a cold machine.
export default vitestPreset({ test: { testTimeout: 30_000, hookTimeout: 60_000 } })
