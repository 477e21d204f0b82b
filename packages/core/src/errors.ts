/**
 * The registry of library error codes: each key is a code `@sfauth` sets itself, for problems
 * that are not Salesforce's own errors. Core declares its codes here; a flow package adds its
 * own by declaration merging, without editing core:
 *
 * ```ts
 * declare module '@sfauth/core/flow' {
 *   interface SfAuthErrorCodes {
 *     // @sfauth/my-flow: what went wrong
 *     ERR_MY_FLOW_THING: true
 *   }
 * }
 * ```
 * Salesforce's codes (`invalid_grant`, `INVALID_LOGIN`, `INVALID_SESSION_ID`, ...) pass through
 * as they are and need no entry.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm
 */
export interface SfAuthErrorCodes {
  /** The request never got a response (DNS, connection refused, CORS, offline). */
  ERR_NETWORK: true
  /** No response within the connection's `timeout`, or a renewal past its deadline. */
  ERR_TIMEOUT: true
  /**
   * The caller's `AbortSignal` aborted the call, or its wait for a renewal or a store read under
   * way (which goes on for the other callers).
   */
  ERR_ABORTED: true
  /** An HTTP error whose body says nothing machine-readable (an HTML page, an empty body). */
  ERR_HTTP: true
  /** A response that should have been JSON (or XML) and was not, or was cut short. */
  ERR_INVALID_RESPONSE: true
  /** A token response whose `signature` does not match `id` + `issued_at`. */
  ERR_SIGNATURE: true
  /** A plain `http://` URL for a host that is not loopback. */
  ERR_INSECURE_URL: true
  /**
   * The server answered with a redirect (3xx). Redirects are never followed: a call carries
   * credentials (a password, a secret, a token) that must not reach another place.
   */
  ERR_REDIRECT: true
  /** No registered flow can do what was asked. */
  ERR_NO_FLOW: true
  /** The connection holds no session yet. */
  ERR_NO_SESSION: true
}

/**
 * Codes this library sets itself: core's, and those the flow packages you import add to
 * {@link SfAuthErrorCodes} (`ERR_INVALID_KEY` from `@sfauth/jwt`, `ERR_STORE` from
 * `@sfauth/session`, ...).
 */
export type SfAuthLibraryErrorCode = keyof SfAuthErrorCodes

/**
 * Every `errorCode` an {@link SfAuthError} can carry: the library's own (a `switch` narrows on
 * them), or Salesforce's.
 */
export type SfAuthErrorCode = SfAuthLibraryErrorCode | (string & {})

/** Options for {@link SfAuthError}. */
export interface SfAuthErrorOptions {
  errorCode: SfAuthErrorCode
  /** The HTTP status, when there was a response. */
  status?: number
  /** The underlying error (a network failure, a parse error). */
  cause?: unknown
}

const MARK = Symbol.for('@sfauth/core/SfAuthError')

/**
 * The one error every `@sfauth` package rejects with.
 *
 * `instanceof SfAuthError` works across duplicate installs of `@sfauth/core`: the check
 * looks for a marker registered with `Symbol.for`, not for this exact class object.
 *
 * @example
 * ```ts
 * try { await conn.login(user, pass) } catch (err) {
 *   if (err instanceof SfAuthError && err.errorCode === 'INVALID_LOGIN') { ... }
 * }
 * ```
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm
 */
export class SfAuthError extends Error {
  /** Salesforce's own error code where there is one, otherwise a library code. */
  readonly errorCode: SfAuthErrorCode
  /** The HTTP status of the response that caused the error, when there was one. */
  readonly status: number | undefined

  constructor(message: string, options: SfAuthErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'SfAuthError'
    this.errorCode = options.errorCode
    this.status = options.status
    Object.defineProperty(this, MARK, { value: true })
  }

  /**
   * True for an `SfAuthError` from any copy of `@sfauth/core` (what `instanceof` checks).
   * @param value anything caught.
   * @returns whether `value` is an `SfAuthError`.
   * @throws never.
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm
   * @example
   * ```ts
   * if (SfAuthError.isInstance(err) && err.errorCode === 'invalid_grant') await authorizeAgain()
   * ```
   */
  static isInstance(value: unknown): value is SfAuthError {
    return typeof value === 'object' && value !== null && MARK in value
  }

  /**
   * Makes `err instanceof SfAuthError` true for errors from any copy of `@sfauth/core`.
   * @param value what `instanceof` was asked about.
   * @returns whether `value` is an `SfAuthError` (of this subclass, for subclasses).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep the ordinary prototype check; the base class matches any copy's errors.
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was called on
    if (this !== SfAuthError) return Function.prototype[Symbol.hasInstance].call(this, value)
    return SfAuthError.isInstance(value)
  }
}
