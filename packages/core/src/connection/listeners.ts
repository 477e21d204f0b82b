import type { TokenResponse } from '../types.js'

/** Events a connection emits. */
export interface ConnectionEvents {
  /**
   * After every renewal: the new access token and the response that renewed it (a token
   * response, with the rotated `refresh_token` when there is one; the login result for SOAP).
   * When the renewal adopted a session another process renewed and saved (a shared store), `res`
   * is built from the saved session: `{ access_token, instance_url, refresh_token? }`.
   */
  refresh: (accessToken: string, res: Partial<TokenResponse>) => void
  /**
   * Something failed that no call can reject with, because the call itself succeeded: a store
   * that failed to save a renewed session (the request still succeeds, and `'refresh'` still
   * fires with the rotated token), or a `'refresh'` listener that threw. Without an `'error'`
   * listener such an error is dropped; it never crashes the process, and an `'error'` listener
   * that throws is ignored.
   */
  error: (err: unknown) => void
}

/**
 * A connection's listeners. A connection makes this table on its first `on()` or renewal, not
 * before: most connections never have a listener.
 */
export class Listeners {
  readonly #table: { [E in keyof ConnectionEvents]: ConnectionEvents[E][] } = {
    refresh: [],
    error: [],
  }

  on<E extends keyof ConnectionEvents>(event: E, listener: ConnectionEvents[E]): void {
    this.#table[event].push(listener)
  }

  off<E extends keyof ConnectionEvents>(event: E, listener: ConnectionEvents[E]): void {
    const listeners: ConnectionEvents[E][] = this.#table[event]
    for (let at = listeners.indexOf(listener); at >= 0; at = listeners.indexOf(listener)) {
      listeners.splice(at, 1)
    }
  }

  /** Tells the `'refresh'` listeners; one that throws is reported to `'error'`, never rethrown. */
  refresh(accessToken: string, res: Partial<TokenResponse>): void {
    for (const listener of this.#table.refresh) {
      try {
        listener(accessToken, res)
      } catch (err) {
        // A listener's bug must not fail the request that triggered the renewal: it is reported.
        this.error(err)
      }
    }
  }

  /** Tells the `'error'` listeners. */
  error(err: unknown): void {
    for (const listener of this.#table.error) {
      try {
        listener(err)
      } catch {
        // An 'error' listener that throws has nowhere left to report to.
      }
    }
  }
}
