import { answeredOrigin } from '../url.js'
import type { SessionHost } from './session-state.js'

/**
 * Coordinates a connection with the flows that keep sessions (`restore`, `persist`): restore on
 * first use, persist after every change, adopt a session someone else saved.
 */
export class StoreSync {
  /** The connection's flows, state and context, shared with its renewal. */
  readonly host: SessionHost
  #restoring: Promise<void> | undefined
  /** Whether the first-use restore is done (the warm path then waits for nothing). */
  restored = false

  constructor(host: SessionHost) {
    this.host = host
  }

  /**
   * Resolves once a saved session was restored (first use only, and only when the connection
   * has no access token). A failed restore is tried again on the next call.
   */
  ready(): Promise<void> {
    this.#restoring ??= this.#restore().catch((err: unknown) => {
      this.#restoring = undefined
      throw err
    })
    return this.#restoring
  }

  /** Tells every flow that keeps sessions about the current one (`undefined` after logout). */
  async persist(): Promise<void> {
    const ctx = this.host.ctx()
    for (const flow of this.host.flows) await flow.persist?.(ctx, ctx.session)
  }

  /**
   * Adopts the first saved session (from a flow's `restore`) whose token is not `current`.
   * Used on first use, and before a renewal: another process sharing the store may already
   * have renewed and rotated the refresh token, and renewing with the stale one would be a
   * replay, which makes Salesforce revoke the whole token family.
   * @returns whether a saved session was adopted.
   * @throws {SfAuthError} `ERR_INSECURE_URL` for a saved plain-http instance URL when the login
   *   URL is https and the connection was not given that instance URL; `ERR_INVALID_RESPONSE`
   *   for one that is not a URL.
   */
  async adoptNewer(current: string | undefined): Promise<boolean> {
    const { state } = this.host
    const ctx = this.host.ctx()
    for (const flow of this.host.flows) {
      const saved = await flow.restore?.(ctx)
      // A login or renewal that finished while the store answered wins over the saved session.
      if (state.fields.accessToken !== current) return false
      if (saved && saved.accessToken !== current) {
        // A saved session may only send the token where a login could have (plain http only
        // when the login URL is loopback http), or where the connection already sends it (an
        // instance URL given in its options).
        if (saved.instanceUrl !== state.fields.instanceUrl) {
          answeredOrigin(saved.instanceUrl, 'instanceUrl of the saved session', ctx.loginUrl)
        }
        state.adopt(saved)
        return true
      }
    }
    return false
  }

  async #restore(): Promise<void> {
    if (!this.host.state.fields.accessToken) await this.adoptNewer(undefined)
    this.restored = true
  }
}
