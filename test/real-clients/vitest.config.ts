import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // A margin for a saturated 2-core CI machine (RSA keys); no test asserts time.
    testTimeout: 20_000,
    include: ['test/**/*.test.ts'],
    // Makes HOME, the https certificate and the Salesforce CLI settings before the test processes
    // start: NODE_EXTRA_CA_CERTS is read once, at process start.
    globalSetup: ['setup/global.ts'],
    // Separate processes (not threads), so each starts with that environment.
    pool: 'forks',
  },
})
