import { vitestPreset } from '@sfauth/test-kit/vitest'

// The first run on a machine unpacks a 200 MB browser before it starts it.
export default vitestPreset({ test: { testTimeout: 60_000, hookTimeout: 120_000 } })
