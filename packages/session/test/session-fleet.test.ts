import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { testSessionFleet } from '@sfauth/test-kit/session-fleet'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'

// The fleet contract on an unstorage fs store + fileLock: real OS processes on the built packages
// (`pnpm test` builds first), each a Connection with OAuth2 + session({ store, lock: fileLock() }),
// against the emulator on 127.0.0.1 with refresh-token rotation on.
testSessionFleet({
  name: 'session({ store, lock: fileLock() })',
  factory: fileURLToPath(new URL('./fleet/file-lock-factory.mjs', import.meta.url)),
  config: (dir) => ({
    storeDir: join(dir, 'store'),
    lockDir: join(dir, 'locks'),
    lockTtlMs: 2_000,
    lockWaitMs: 60_000,
  }),
  store: (dir) => createStorage({ driver: fsDriver({ base: join(dir, 'store') }) }),
})
