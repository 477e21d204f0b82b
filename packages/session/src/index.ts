export {
  type LockAcquireOptions,
  type LockRelease,
  lockError,
  type SessionLock,
  type SessionLockErrorCode,
  type WaitForLockOptions,
  waitForLock,
} from './lock.js'
export { DEFAULT_SESSION_KEY, type SessionOptions, session } from './session-flow.js'
export type { SessionStore, StoredSession } from './store.js'
