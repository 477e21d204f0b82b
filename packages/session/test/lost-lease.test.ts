import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testRenewalOnLostLease } from '@sfauth/test-kit/lost-lease'
import { afterAll } from 'vitest'
import { fileLock } from '../src/node/file-lock.js'

// The lease lost the way a stalled holder loses it: its lock directory removed (as a takeover
// after the lease does) while it holds the renewal lock.
const root = mkdtempSync(join(tmpdir(), 'sfauth-lost-lease-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

testRenewalOnLostLease({
  name: 'fileLock',
  make: () => fileLock({ dir: join(root, 'locks') }),
  forgetLocks: async () => {
    for (const name of readdirSync(join(root, 'locks'))) {
      rmSync(join(root, 'locks', name), { recursive: true, force: true })
    }
  },
})
