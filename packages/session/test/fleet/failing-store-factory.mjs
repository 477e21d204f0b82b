// createStore / createLock for the test kit's session-worker.mjs: the fs store + fileLock of
// file-lock-factory.mjs, except that the store's saves fail: the first `config.failSaves` of
// them, or, with `config.failFile`, every one while that file exists (a store that takes no
// write, full or read-only, until the test deletes the file).
import { existsSync } from 'node:fs'
import { createStore as createFsStore, createLock } from './file-lock-factory.mjs'

export { createLock }

export async function createStore(config) {
  const { store, close } = await createFsStore(config)
  let failures = config.failSaves ?? 0
  const failing = () => {
    if (config.failFile ? existsSync(config.failFile) : failures-- > 0) {
      throw new Error('ENOSPC: no space left on device')
    }
  }
  return {
    store: {
      getItem: (key) => store.getItem(key),
      setItem: async (key, value) => {
        failing()
        await store.setItem(key, value)
      },
      removeItem: (key) => store.removeItem(key),
    },
    close,
  }
}
