import { scrub } from '@sfauth/core/flow'

/**
 * A copy of a third-party error that is safe to keep as a `cause`: a plain `Error` with its
 * name, its message and its string `code`, each scrubbed of `secrets`, and nothing else.
 * Client libraries hang what they were doing on their errors (ioredis's `ReplyError` carries the
 * command and its arguments: `AUTH`'s password, the session a `SET` was writing), and
 * `util.inspect(err, { depth })` prints every property down the cause chain.
 * @returns the copy, or `undefined` for no cause.
 */
export function safeCause(
  err: unknown,
  secrets?: readonly (string | undefined)[],
): Error | undefined {
  if (err === undefined || err === null) return undefined
  const safe = new Error(scrub(err instanceof Error ? err.message : String(err), secrets))
  safe.name = err instanceof Error ? scrub(err.name, secrets) : 'Error'
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') Object.assign(safe, { code: scrub(code, secrets) })
  return safe
}
