import { SfAuthError } from '@sfauth/core/flow'

// This package's own error codes, added to core's registry (no edit of core needed).
declare module '@sfauth/core/flow' {
  interface SfAuthErrorCodes {
    /** `@sfauth/soap-login`: re-logins were rejected at once, so the next one waits (Salesforce locks users out past 3,600 logins an hour). */
    ERR_RELOGIN_BACKOFF: true
  }
}

/**
 * A re-login asked for within this time after the earliest moment the previous one was allowed
 * means the fresh session was rejected at once. Salesforce's shortest session timeout is
 * 15 minutes, so a healthy session never ends this soon.
 */
export const RELOGIN_QUICK_MS = 60_000
/** The first wait once re-logins keep being rejected at once; it doubles each time. */
export const RELOGIN_BACKOFF_MS = 30_000
/** The longest wait: at most a few password logins an hour per connection, never thousands. */
export const RELOGIN_BACKOFF_MAX_MS = 15 * 60_000
/** Re-logins rejected at once that are still retried without waiting (an admin's "expire all"). */
const FREE_QUICK_RELOGINS = 1

/**
 * Keeps a connection's SOAP re-logins from turning a server that rejects every session into a
 * password login per request: Salesforce locks a user out past 3,600 logins an hour, and counts
 * failed ones against the lockout policy sooner. One guard lives in the renewal closure of one
 * login and is handed on to the closures of its re-logins.
 */
export class ReloginGuard {
  /** When the last re-login finished; the first one is never held back. */
  #last = Number.NEGATIVE_INFINITY
  /** Re-logins in a row that were asked for soon after the previous one. */
  #quick = 0

  /** How long the current streak makes the next re-login wait after the previous one. */
  #wait(quick: number): number {
    if (quick <= FREE_QUICK_RELOGINS) return 0
    return Math.min(
      RELOGIN_BACKOFF_MS * 2 ** (quick - FREE_QUICK_RELOGINS - 1),
      RELOGIN_BACKOFF_MAX_MS,
    )
  }

  /**
   * Runs `relogin` unless re-logins have been rejected at once too often and the cooldown has
   * not passed; a re-login that fails counts like one whose session was rejected.
   * @throws {SfAuthError} `ERR_RELOGIN_BACKOFF` (status 401) during the cooldown, naming when the
   *   next re-login is allowed; nothing is sent then.
   */
  async run<T>(relogin: () => Promise<T>): Promise<T> {
    const now = Date.now()
    const allowedAt = this.#last + this.#wait(this.#quick)
    const quick = now - allowedAt < RELOGIN_QUICK_MS ? this.#quick + 1 : 0
    const nextAllowed = this.#last + this.#wait(quick)
    if (now < nextAllowed) {
      const seconds = Math.ceil((nextAllowed - now) / 1000)
      throw new SfAuthError(
        `The last ${quick} SOAP re-logins failed, or Salesforce rejected their sessions right after they were made; not logging in with the password again for ${seconds} s (until ${new Date(nextAllowed).toISOString()}), so the user is not locked out by too many logins. Check the session settings and IP restrictions of the org and the user's profile.`,
        { errorCode: 'ERR_RELOGIN_BACKOFF', status: 401 },
      )
    }
    this.#quick = quick
    try {
      return await relogin()
    } finally {
      this.#last = Date.now()
    }
  }
}
