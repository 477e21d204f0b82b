import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // A margin for a saturated 2-core CI machine (RSA keys); no test asserts time.
    testTimeout: 20_000,
    include: ['test/**/*.test.ts'],
  },
})
