import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Bundling and starting workerd take a few seconds on a cold machine.
    hookTimeout: 60_000,
    testTimeout: 30_000,
  },
})
