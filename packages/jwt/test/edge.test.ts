// @vitest-environment edge-runtime
import { testFlow } from '@sfauth/test-kit'
import { jwtBearerFlow } from './flow.js'

// vitest's edge-runtime environment (Vercel Edge / WinterCG globals): the PKCS#1 conversion and
// the signing must work on Web Crypto alone. dist.test.ts checks the built code statically.
testFlow(jwtBearerFlow)
