import { vitestPreset } from '@sfauth/test-kit/vitest'

// A real browser start and two full logins take seconds, not milliseconds.
export default vitestPreset({ test: { testTimeout: 60_000, hookTimeout: 60_000 } })
