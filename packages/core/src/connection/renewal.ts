import { SfAuthError } from '../errors.js'
import type { Session, TokenResponse } from '../types.js'
import { byOrigin, cannotRenew, startRenewal } from './dispatch.js'
import type { SessionHost } from './session-state.js'
import type { StoreSync } from './store-sync.js'

/**
 * A 401 that a renewal can cure. Salesforce's "not valid for use with the REST API" 401 is not
 * one, nor is an Agent API refusal: renewing would only get the same answer.
 */
export function isExpiredSession(err: unknown): err is SfAuthError {
  return (
    err instanceof SfAuthError &&
    ((err.status === 401 && err.errorCode === 'INVALID_SESSION_ID') ||
      (err.status === 403 && err.errorCode === 'Bad_OAuth_Token')) &&
    !/not valid for use with the REST API|not attached to Agent/i.test(err.message)
  )
}

/** The default deadline of a renewal's store read and of its flow call (30 s). */
export const RENEWAL_DEADLINE = 30_000

/**
 * Settles as `promise`, or rejects with `ERR_TIMEOUT` after `ms`, or with `ERR_ABORTED` once
 * `signal` aborts; the promise itself keeps running.
 */
export function settleWithin<T>(
  promise: Promise<T>,
  ms: number | undefined,
  signal?: AbortSignal,
): Promise<T> {
  if (ms === undefined && !signal) return promise
  return new Promise<T>((resolve, reject) => {
    const fail = (err: SfAuthError) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', aborted)
      reject(err)
    }
    const aborted = () =>
      fail(
        new SfAuthError('Aborted by the caller', {
          errorCode: 'ERR_ABORTED',
          cause: signal?.reason,
        }),
      )
    const timer =
      ms === undefined
        ? undefined
        : setTimeout(
            () =>
              fail(new SfAuthError(`The renewal took over ${ms} ms`, { errorCode: 'ERR_TIMEOUT' })),
            ms,
          )
    if (signal?.aborted) return aborted()
    signal?.addEventListener('abort', aborted, { once: true })
    promise.then((value) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', aborted)
      resolve(value)
    }, fail)
  })
}

/** Where a renewal's outcome is told: the connection's `'refresh'` and `'error'` listeners. */
export interface RenewalListeners {
  refresh(accessToken: string, res: Partial<TokenResponse>): void
  error(err: unknown): void
}

/**
 * The renewal of one connection's session, once for all concurrent callers: adopt a newer saved
 * session (another process renewed), or renew through a flow and land its result (state, store,
 * `'refresh'`). Everything it reads it reads from the host: the token and the epoch from the
 * session state, the flows to ask, the store to adopt from and save to.
 */
export class Renewal {
  readonly #host: SessionHost
  readonly #store: StoreSync
  readonly #listeners: () => RenewalListeners
  readonly #deadline: number
  #flight: Flight | undefined

  /**
   * @param deadline milliseconds a store read or a flow's renewal may take before the renewal
   *   rejects with `ERR_TIMEOUT`: a hung token endpoint must not hang every later request. A result
   *   that lands later is dropped.
   */
  constructor(
    host: SessionHost,
    store: StoreSync,
    listeners: () => RenewalListeners,
    deadline = RENEWAL_DEADLINE,
  ) {
    this.#host = host
    this.#store = store
    this.#listeners = listeners
    this.#deadline = deadline
  }

  /**
   * Starts a renewal, or joins the one under way. A caller's `signal` ends its own wait
   * (`ERR_ABORTED`); the renewal itself is told to stop waiting (the `signal` given to
   * {@link Flow.coordinateRenewal}) only once every caller has given up, and never while a caller
   * without a signal waits.
   * @param cause the expiry that asked (kept in the error when nothing can renew).
   */
  run(cause?: SfAuthError, signal?: AbortSignal): Promise<void> {
    if (!this.#flight) {
      const controller = new AbortController()
      const run = this.#locked(() => this.#adoptOrRenew(cause), controller.signal)
      const started: Flight = { controller, waiting: 0, done: run }
      started.done = run.finally(() => {
        if (this.#flight === started) this.#flight = undefined
      })
      // Every caller handles the outcome; a renewal all of them left is nobody's to report.
      started.done.catch(() => {})
      this.#flight = started
    }
    return join(this.#flight, signal)
  }

  /**
   * The retry-once rule: after `err` from a call sent with `sent`, the token to send once more.
   * Renews unless a concurrent caller already did.
   * @throws `err` itself when it is no expiry (`isExpired`), or when no token came of the renewal.
   */
  async retryToken(
    err: unknown,
    sent: string,
    signal: AbortSignal | undefined,
    isExpired: (err: unknown) => err is SfAuthError = isExpiredSession,
  ): Promise<string> {
    if (!isExpired(err)) throw err
    const { state } = this.#host
    // Another caller may already have renewed while this one was in flight.
    if (state.fields.accessToken === sent) await this.run(err, signal)
    const renewed = state.fields.accessToken
    if (!renewed) throw err
    return renewed
  }

  /**
   * The adopt-or-renew step under the lock of the first registered flow that coordinates renewals
   * across processes ({@link Flow.coordinateRenewal}); as it is when none does.
   */
  #locked(step: () => Promise<void>, signal: AbortSignal): Promise<void> {
    const flow = this.#host.flows.find((f) => typeof f.coordinateRenewal === 'function')
    return flow?.coordinateRenewal
      ? flow.coordinateRenewal(this.#host.ctx(), step, { signal })
      : step()
  }

  async #adoptOrRenew(cause: SfAuthError | undefined): Promise<void> {
    const { state, flows } = this.#host
    const epoch = state.epoch
    if (await settleWithin(this.#store.adoptNewer(state.fields.accessToken), this.#deadline)) {
      // Another process renewed: this one's listeners learn the token all the same.
      const adopted = state.session()
      if (adopted) this.#tell(adopted.accessToken, adoptedResponse(adopted))
      return
    }
    // The session changed while the store answered (a logout, another login): nothing to renew.
    if (state.epoch !== epoch) return
    const pending = startRenewal(
      byOrigin(flows, state.origin),
      state.renewThis,
      this.#host.ctx(),
      state.renewable(),
    )
    if (!pending) throw cannotRenew(cause)
    const result = await settleWithin(pending, this.#deadline)
    // Logout and a new login win over a renewal that started before them: its result is dropped.
    if (state.epoch !== epoch) return
    // The one place a renewal's result lands. A store that fails to save it, or a listener that
    // throws, fails nothing: the request goes on with the new token, the error goes to 'error'.
    state.replace(result)
    await this.#store.persist().catch((err: unknown) => this.#listeners().error(err))
    this.#tell(result.session.accessToken, result.response as Partial<TokenResponse>)
  }

  #tell(accessToken: string, res: Partial<TokenResponse>): void {
    this.#listeners().refresh(accessToken, res)
  }
}

/**
 * The `res` of a `'refresh'` event for a session adopted from a store (another process renewed):
 * the saved fields in token-response form (`refresh_token` is `undefined` when none was saved).
 */
function adoptedResponse(session: Session): Partial<TokenResponse> {
  return {
    access_token: session.accessToken,
    instance_url: session.instanceUrl,
    refresh_token: session.refreshToken,
  }
}

/** One renewal under way and who waits for it. */
interface Flight {
  done: Promise<void>
  controller: AbortController
  /** Callers with a signal still waiting; `Infinity` once one without a signal joined. */
  waiting: number
}

/** Waits for `flight` until it settles or `signal` aborts; the last caller to leave abandons it. */
function join(flight: Flight, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) {
    flight.waiting = Number.POSITIVE_INFINITY
    return flight.done
  }
  flight.waiting++
  return new Promise<void>((resolve, reject) => {
    const leave = () => {
      if (--flight.waiting === 0) flight.controller.abort(signal.reason)
      reject(
        new SfAuthError('Stopped waiting for the renewal: the signal was aborted', {
          errorCode: 'ERR_ABORTED',
          cause: signal.reason,
        }),
      )
    }
    if (signal.aborted) return leave()
    signal.addEventListener('abort', leave, { once: true })
    flight.done.then(resolve, reject).finally(() => signal.removeEventListener('abort', leave))
  })
}
