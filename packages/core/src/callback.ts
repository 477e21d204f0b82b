/** A Node-style callback, as jsforce's API takes. */
export type Callback<T> = (err: Error | null, result?: T) => void

/**
 * Settles `callback` from `promise` and returns the promise. The callback's own handler counts
 * as handling a rejection, so callback users never see an unhandled rejection.
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
