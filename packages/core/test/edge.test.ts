// @vitest-environment edge-runtime
import { testFlow } from '@sfauth/test-kit'
import { testPasswordFlow } from './flow.js'

// Runs in vitest's edge-runtime environment (the Vercel Edge / WinterCG globals). That
// environment still leaks some Node globals, so dist.test.ts checks the built code statically
// and the runtime matrix (test/runtimes) runs core in workerd, Deno, Bun and Chromium.
testFlow(testPasswordFlow)
