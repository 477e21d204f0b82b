import { vitestPreset } from '@sfauth/test-kit/vitest'

export default vitestPreset({
  test: {
    // Makes HOME, the https certificate and the Salesforce CLI settings before the test processes
    // start: NODE_EXTRA_CA_CERTS is read once, at process start.
    globalSetup: ['setup/global.ts'],
    // Separate processes (not threads), so each starts with that environment.
    pool: 'forks',
  },
})
