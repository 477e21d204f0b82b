import type { SessionLock, SessionStore } from '@sfauth/session'

export function shimLock(url: string): SessionLock
export function forgetLocks(url: string): Promise<void>
export function shimStore(url: string): SessionStore
export function createLock(config: { url: string }): { lock: SessionLock; close(): Promise<void> }
