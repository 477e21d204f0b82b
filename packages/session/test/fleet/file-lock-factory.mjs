// createLock for lock-worker.mjs: the built '@sfauth/session/file-lock' (a self-reference).
import { fileLock } from '@sfauth/session/file-lock'

export function createLock(config) {
  return { lock: fileLock({ dir: config.lockDir }), close: async () => {} }
}
