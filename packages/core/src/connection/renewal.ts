import { SfAuthError } from '../errors.js'
import type { Flow, FlowContext, FlowResult } from '../flow-types.js'

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

/**
 * Single flight: while one run of `fn` is pending, every call shares it; once it settles (either
 * way) the next call starts a new one.
 * @returns a function that starts `fn` or joins the run under way.
 */
export function singleFlight<A extends unknown[], T>(
  fn: (...args: A) => Promise<T>,
): (...args: A) => Promise<T> {
  let pending: Promise<T> | undefined
  return (...args) => {
    pending ??= fn(...args).finally(() => {
      pending = undefined
    })
    return pending
  }
}

/**
 * The steps of one renewal, each supplied by the connection. {@link createRenewal} runs them in order:
 * adopt a newer saved session, or start a renewal through a flow and commit its result.
 */
export interface RenewalSteps {
  /** The access token being renewed (`undefined` when there is none yet). */
  currentToken(): string | undefined
  /**
   * Adopts a session someone else saved that is newer than `current` (another process renewed
   * first). @returns whether one was adopted, which ends the renewal.
   */
  adoptNewer(current: string | undefined): Promise<boolean>
  /** Starts the renewal through a flow; `undefined` when nothing can renew. */
  start(): Promise<FlowResult> | undefined
  /**
   * Makes the result the connection's session: state, persist, `'refresh'` listeners. The one
   * place a renewal's result lands.
   */
  commit(result: FlowResult): Promise<void>
  /** The error for a session nothing can renew, given the expiry that asked (if any). */
  cannotRenew(cause: SfAuthError | undefined): SfAuthError
  /**
   * Runs the adopt-or-renew step exclusively. The default runs it as it is (single flight in
   * this process is {@link createRenewal}'s own); a session flow with a cross-process lock wraps it
   * ({@link Flow.coordinateRenewal}): take the lock, run (re-read the store, adopt or renew and
   * save), release. `signal` aborts once every caller waiting on this renewal gave up.
   */
  exclusive?<T>(step: () => Promise<T>, signal: AbortSignal): Promise<T>
  /**
   * The session's epoch ({@link SessionState.epoch}): it changes with every change of session.
   * A renewal remembers it when it starts; when it differs once the store read or the flow's
   * renewal settles (a logout, a login as someone else), the result is dropped, never committed.
   */
  epoch?(): number
  /**
   * Milliseconds a store read or a flow's renewal may take before the renewal rejects with
   * `ERR_TIMEOUT` (default {@link RENEWAL_DEADLINE}): a hung token endpoint must not hang every
   * later request. A result that lands later is dropped.
   */
  deadline?: number
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

/**
 * Renews a connection's session, once for all concurrent callers (single flight): adopt a newer
 * saved session, or start a renewal through a flow and commit its result.
 *
 * Seams for what comes next: {@link RenewalSteps.exclusive} takes a cross-process lock around the
 * adopt-or-renew step; the returned `renew` is what a public `conn.renew()` calls;
 * {@link sendWithRenewal} takes any `send` and expiry test, so `conn.fetch()` can reuse it; and
 * {@link RenewalSteps.commit} is where a result that lands after a logout or a new login (the
 * session's epoch changed) is dropped.
 * @returns `renew(cause?, signal?)`: starts a renewal, or joins the one under way. A caller's
 *   `signal` ends its own wait (`ERR_ABORTED`); the renewal itself is told to stop waiting (the
 *   `signal` given to {@link RenewalSteps.exclusive}) only once every caller has given up, and
 *   never while a caller without a signal waits.
 */
export function createRenewal(
  steps: RenewalSteps,
): (cause?: SfAuthError, signal?: AbortSignal) => Promise<void> {
  const deadline = steps.deadline ?? RENEWAL_DEADLINE
  const adoptOrRenew = async (cause: SfAuthError | undefined): Promise<void> => {
    const epoch = steps.epoch?.()
    const stale = () => epoch !== steps.epoch?.()
    if (await settleWithin(steps.adoptNewer(steps.currentToken()), deadline)) return
    // The session changed while the store answered (a logout, another login): nothing to renew.
    if (stale()) return
    const pending = steps.start()
    if (!pending) throw steps.cannotRenew(cause)
    const result = await settleWithin(pending, deadline)
    // Logout and a new login win over a renewal that started before them: its result is dropped.
    if (!stale()) await steps.commit(result)
  }
  let flight: Flight | undefined
  return (cause, signal) => {
    if (!flight) {
      const controller = new AbortController()
      const run = steps.exclusive
        ? steps.exclusive(() => adoptOrRenew(cause), controller.signal)
        : adoptOrRenew(cause)
      const started: Flight = { controller, waiting: 0, done: run }
      started.done = run.finally(() => {
        if (flight === started) flight = undefined
      })
      // Every caller handles the outcome; a renewal all of them left is nobody's to report.
      started.done.catch(() => {})
      flight = started
    }
    return join(flight, signal)
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

/**
 * The {@link RenewalSteps.exclusive} of a connection's flows: the first registered flow's
 * {@link Flow.coordinateRenewal} (a session shared by processes through a lock), or none.
 */
export function coordinatedBy(
  flows: readonly Flow[],
  ctx: () => FlowContext,
): RenewalSteps['exclusive'] {
  return <T>(step: () => Promise<T>, signal: AbortSignal): Promise<T> => {
    const flow = flows.find((f) => typeof f.coordinateRenewal === 'function')
    return flow?.coordinateRenewal ? flow.coordinateRenewal(ctx(), step, { signal }) : step()
  }
}

/** What {@link sendWithRenewal} needs: the current token and a way to renew it. */
export interface TokenSource {
  /** The access token to send now. */
  currentToken(): string | undefined
  /**
   * Renews (single flight); resolves once {@link TokenSource.currentToken} has the new token.
   * `signal` ends this caller's wait.
   */
  renew(cause: SfAuthError, signal?: AbortSignal): Promise<void>
}

/**
 * Runs `send` with `token`; when it fails with an expiry (`isExpired`) renews once (unless a
 * concurrent caller already did) and runs it once more with the new token. A second failure
 * rejects as it is: it never loops.
 * @param source the current token and the renewal.
 * @param token the token to send first.
 * @param send the call, given a token.
 * @param isExpired which failures a renewal can cure; {@link isExpiredSession} by default.
 * @param signal the caller's signal: ends its wait for the renewal.
 */
export async function sendWithRenewal<T>(
  source: TokenSource,
  token: string,
  send: (accessToken: string) => Promise<T>,
  isExpired: (err: unknown) => err is SfAuthError = isExpiredSession,
  signal?: AbortSignal,
): Promise<T> {
  try {
    return await send(token)
  } catch (err) {
    if (!isExpired(err)) throw err
    // Another caller may already have renewed while this one was in flight.
    if (source.currentToken() === token) await source.renew(err, signal)
    const renewed = source.currentToken()
    if (!renewed) throw err
    return send(renewed)
  }
}
