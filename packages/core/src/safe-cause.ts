import { scrub } from './redact.js'

/**
 * A copy of a third-party error that is safe to keep as a `cause`: a plain `Error` with its
 * name, its message and its string `code`, each scrubbed of `secrets`, and nothing else.
 * Client libraries hang what they were doing on their errors (ioredis's `ReplyError` carries the
 * command and its arguments: `AUTH`'s password, the session a `SET` was writing), and
 * `util.inspect(err, { depth })` prints every property down the cause chain. A property that
 * throws when read is left out.
 * @param code the code to keep when `err` has none of its own (the first one down its cause chain).
 * @returns the copy, or `undefined` for no cause.
 */
export function safeCause(
  err: unknown,
  secrets?: readonly (string | undefined)[],
  code?: unknown,
): Error | undefined {
  if (err === undefined || err === null) return undefined
  const read = (get: () => unknown): string | undefined => {
    try {
      const value = get()
      return typeof value === 'string' ? scrub(value, secrets) : undefined
    } catch {
      return undefined
    }
  }
  const isError = err instanceof Error
  const safe = new Error(
    (isError ? read(() => err.message) : read(() => String(err))) ?? 'unreadable error',
  )
  safe.name = (isError && read(() => err.name)) || 'Error'
  const own = read(() => (err as { code?: unknown }).code)
  const kept = own ?? (typeof code === 'string' ? scrub(code, secrets) : undefined)
  if (kept !== undefined) Object.assign(safe, { code: kept })
  return safe
}
