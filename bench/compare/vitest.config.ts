import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Child processes on a saturated 2-core CI machine; no test asserts time.
    testTimeout: 180_000,
    include: ['test/**/*.test.ts'],
  },
})
