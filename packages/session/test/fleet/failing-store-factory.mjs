// createStore / createLock for the test kit's session-worker.mjs: the fs store + fileLock of
// file-lock-factory.mjs, except that the store's saves fail: the first `config.failSaves`
// of them, or every one when it is 'always' (a store that takes no write, read-only or full).
import { createStore as createFsStore, createLock } from './file-lock-factory.mjs'

export { createLock }

export async function createStore(config) {
  const { store, close } = await createFsStore(config)
  let failures = config.failSaves === 'always' ? Number.POSITIVE_INFINITY : (config.failSaves ?? 0)
  const failing = {
    getItem: (key) => store.getItem(key),
    setItem: async (key, value) => {
      if (failures > 0) {
        failures--
        throw new Error('ENOSPC: no space left on device')
      }
      await store.setItem(key, value)
    },
    removeItem: (key) => store.removeItem(key),
  }
  return { store: failing, close }
}
