/** A Node-style callback, as jsforce's API takes. */
export type Callback<T> = (err: Error | null, result?: T) => void

/**
 * Settles `callback` from `promise` and returns the promise. The callback's own handler counts
 * as handling a rejection, so callback users never see an unhandled rejection.
 *
 * @param promise the operation.
 * @param callback a Node-style `(err, result)` callback, or `undefined` for promise users.
 * @returns `promise` itself.
 * @throws never: failures go to the callback and the promise.
 * @see https://jsforce.github.io/document/#connection
 * @example
 * ```ts
 * refreshToken(token: string, callback?: Callback<TokenResponse>): Promise<TokenResponse> {
 *   return withCallback(this.#refresh(token), callback)
 * }
 * ```
 */
export function withCallback<T>(promise: Promise<T>, callback?: Callback<T>): Promise<T> {
  if (callback) {
    promise.then(
      (result) => callback(null, result),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    )
  }
  return promise
}
