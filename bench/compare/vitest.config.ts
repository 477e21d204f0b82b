import { vitestPreset } from '@sfauth/test-kit/vitest'

// Child processes on a saturated 2-core CI machine; no test asserts time.
export default vitestPreset({ test: { testTimeout: 180_000 } })
