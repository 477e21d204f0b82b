import { vitestPreset } from '@sfauth/test-kit/vitest'

// Every test starts workerd (Miniflare) with several Worker scripts and forks no more: one file
// at a time on a 2-core machine. Waiting out a lease takes seconds; no test asserts time.
export default vitestPreset({
  test: { testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false },
})
