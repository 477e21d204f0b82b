import { vitestPreset } from '@sfauth/test-kit/vitest'

// The docs check compiles every package's sources once: give it the time of a saturated machine.
export default vitestPreset({ test: { testTimeout: 120_000 } })
