import { testRenewalOnLostLease } from '@sfauth/test-kit/lost-lease'
import { afterAll, beforeAll } from 'vitest'
import { startShim } from './shim/shim.js'
import { forgetLocks, shimLock } from './shim/shim-client.mjs'

// session() in Node with durableSession()'s lock in workerd (through the shim): the holder whose
// lease ran out while it stalled asks the object right before it renews, learns the lease is
// gone, and adopts what the next holder saved instead of replaying the refresh token.
let shim: Awaited<ReturnType<typeof startShim>>
beforeAll(async () => {
  shim = await startShim()
})
afterAll(async () => {
  await shim?.dispose()
})

testRenewalOnLostLease({
  name: 'durableSession().lock',
  make: () => shimLock(shim.url),
  forgetLocks: () => forgetLocks(shim.url),
  // The shim's Worker runtime on 127.0.0.1; Salesforce stays the emulator's.
  passthrough: () => shim.url,
})
