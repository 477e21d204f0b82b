// createLock for the test kit's lock-worker.mjs (@sfauth/test-kit/fleet): the built
// '@sfauth/session/file-lock' (a self-reference).
import { fileLock } from '@sfauth/session/file-lock'

export function createLock(config) {
  return { lock: fileLock({ dir: config.lockDir }), close: async () => {} }
}

// createStore for the test kit's session-worker.mjs: an unstorage fs store in `storeDir`, shared by the fleet.
export async function createStore(config) {
  const { createStorage } = await import('unstorage')
  const { default: fsDriver } = await import('unstorage/drivers/fs')
  const store = createStorage({ driver: fsDriver({ base: config.storeDir }) })
  return { store, close: () => store.dispose() }
}
