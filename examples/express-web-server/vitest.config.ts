import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A real browser start and two full logins take seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
