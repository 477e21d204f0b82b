import { vitestPreset } from '@sfauth/test-kit/vitest'

// 50 MB bodies are built at test time; no test asserts time.
export default vitestPreset({ test: { testTimeout: 60_000 } })
