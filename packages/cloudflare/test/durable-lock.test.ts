import { fileURLToPath } from 'node:url'
import { testLock } from '@sfauth/test-kit/lock'
import { afterAll, beforeAll, describe } from 'vitest'
import { startShim } from './shim/shim.js'
import { forgetLocks, shimLock } from './shim/shim-client.mjs'

// The kit's lock contract runs in Node (vitest, real OS processes, kill -9). Each lock it makes
// here forwards acquire, abort and release over a WebSocket to a Worker in workerd that runs
// durableSession()'s lock against the SfAuthSessions object: the code under test runs in
// workerd, the contract's processes drive it. A killed process closes its socket, and the
// Worker cuts that holder off from the object without a release, as a dead Worker would be.
// A lease is lost the way it happens to a Worker: its holder stalled past the lease (no
// extension arrived) and the object was evicted meanwhile; forgetLocks() stores every lease
// as expired and resets the object, while its holders live on and still believe they hold it.
const factory = fileURLToPath(new URL('./shim/shim-client.mjs', import.meta.url))

let shim: Awaited<ReturnType<typeof startShim>>
beforeAll(async () => {
  shim = await startShim()
})
afterAll(async () => {
  await shim?.dispose()
})

describe('durableSession().lock in workerd', () => {
  testLock({
    name: 'durableSession().lock',
    make: () => shimLock(shim.url),
    timeoutMentions: () => ['"session"', 'Durable Object'],
    worker: { factory, config: () => ({ url: shim.url }) },
    forgetLocks: () => forgetLocks(shim.url),
  })
})
