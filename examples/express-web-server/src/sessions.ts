import { randomBytes } from 'node:crypto'
import type { Request, Response } from 'express'

/** What one browser's authorization request needs at the callback. */
export interface PendingAuthorization {
  state: string
  codeVerifier: string
  createdAt: number
}

const COOKIE = 'sfauth_example_sid'
/** Salesforce's authorization codes live about 15 minutes; a pending login needs no longer. */
const PENDING_TTL_MS = 15 * 60 * 1000

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return decodeURIComponent(value.join('='))
  }
  return undefined
}

/**
 * A per-browser session store in memory, keyed by an HttpOnly cookie: enough to bind `state` and
 * the PKCE verifier to the browser that started the login. A real app would use its own session
 * middleware and store.
 */
export class PendingAuthorizations {
  #pending = new Map<string, PendingAuthorization>()

  /** Remembers `value` for this browser, setting its session cookie when it has none. */
  save(req: Request, res: Response, value: Omit<PendingAuthorization, 'createdAt'>): void {
    this.#prune()
    let sid = cookieValue(req.headers.cookie, COOKIE)
    if (!sid || !/^[\w-]{32,}$/.test(sid)) {
      sid = randomBytes(24).toString('base64url')
      res.cookie(COOKIE, sid, {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.secure,
        path: '/',
      })
    }
    this.#pending.set(sid, { ...value, createdAt: Date.now() })
  }

  /** Takes this browser's pending authorization out (single use), if it has a live one. */
  take(req: Request): PendingAuthorization | undefined {
    const sid = cookieValue(req.headers.cookie, COOKIE)
    if (!sid) return undefined
    const pending = this.#pending.get(sid)
    this.#pending.delete(sid)
    if (!pending || Date.now() - pending.createdAt > PENDING_TTL_MS) return undefined
    return pending
  }

  #prune(): void {
    const now = Date.now()
    for (const [sid, pending] of this.#pending) {
      if (now - pending.createdAt > PENDING_TTL_MS) this.#pending.delete(sid)
    }
  }
}
