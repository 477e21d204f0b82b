import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The first run on a machine unpacks a 200 MB browser before it starts it.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
