import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // A margin for a saturated 2-core CI machine (50 MB bodies are built at test time); no test
    // asserts time.
    testTimeout: 60_000,
    include: ['test/**/*.test.ts'],
  },
})
