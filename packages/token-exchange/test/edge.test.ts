// @vitest-environment edge-runtime
import { testFlow } from '@sfauth/test-kit'
import { tokenExchangeFlow } from './flow.js'

// vitest's edge-runtime environment (the Vercel Edge / WinterCG globals), through the
// emulator's own fetch; dist.test.ts checks the built code statically.
testFlow(tokenExchangeFlow)
