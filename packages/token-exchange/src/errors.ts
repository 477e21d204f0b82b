import { SfAuthError, scrub } from '@sfauth/core/flow'
import type { tokenExchange } from './token-exchange.js'

// This package's own error codes, added to core's registry (no edit of core needed).
declare module '@sfauth/core/flow' {
  interface SfAuthErrorCodes {
    /** `@sfauth/token-exchange`: the subject token is longer than Salesforce accepts; nothing was sent. */
    ERR_SUBJECT_TOKEN_TOO_LONG: true
    /** `@sfauth/token-exchange`: the `subjectToken` function failed or gave no non-empty string. */
    ERR_SUBJECT_TOKEN: true
  }
}

/**
 * The longest subject token Salesforce takes: 10,000 characters since Summer '24 (it was 2,000).
 * {@link tokenExchange} refuses a longer one with `ERR_SUBJECT_TOKEN_TOO_LONG` before sending it.
 *
 * @see https://help.salesforce.com/s/articleView?id=release-notes.rn_security_subject_token.htm&type=5
 * @example
 * ```ts
 * if (idToken.length > MAX_SUBJECT_TOKEN_LENGTH) console.warn('too long to exchange')
 * ```
 */
export const MAX_SUBJECT_TOKEN_LENGTH = 10_000

/** Why the request failed, for the hint. */
export interface Attempt {
  /** The handler asked for, or undefined for the org's default one. */
  tokenHandler: string | undefined
  subjectTokenType: string
  /** Whether this was a renewal (the session expired and the flow exchanged again). */
  renewal: boolean
  /** Whether the subject token came from a function (a fresh one each time). */
  fresh: boolean
}

const SETUP = 'Setup > Identity > Token Exchange Handlers'

function hint(err: SfAuthError, attempt: Attempt): string | undefined {
  const message = err.message
  const handler =
    attempt.tokenHandler === undefined
      ? "the org's default token exchange handler (no tokenHandler given)"
      : `the token exchange handler "${attempt.tokenHandler}"`
  if (err.errorCode === 'invalid_request' && /invalid token handler/i.test(message)) {
    return `Salesforce found no usable ${handler}: check its developer name (the tokenHandler option), that it is enabled for this connected app in ${SETUP}, or mark one as the default`
  }
  if (
    err.errorCode === 'invalid_request' &&
    /subject_token_type for this token handler/i.test(message)
  ) {
    return `${handler} does not take subject tokens of type ${attempt.subjectTokenType}: pass the type it accepts as subjectTokenType, or name another handler with tokenHandler`
  }
  if (err.errorCode === 'invalid_request' && /maximum length/i.test(message)) {
    return `Salesforce takes a subject token of at most ${MAX_SUBJECT_TOKEN_LENGTH} characters: exchange a shorter token (an access token or id_token with fewer claims)`
  }
  if (err.errorCode === 'invalid_grant' && /subject.?token/i.test(message)) {
    if (attempt.renewal && !attempt.fresh) {
      return `${handler} refused the subject token when the session was renewed, most likely because it has expired: pass subjectToken as an async function returning a fresh token, so that each renewal exchanges a new one`
    }
    return `${handler} refused the subject token: it may have expired, have the wrong issuer or audience, or belong to no Salesforce user the handler can map it to`
  }
  if (err.errorCode === 'invalid_scope') {
    return "the scope option must be a subset of the connected app's OAuth scopes (space-separated)"
  }
  return undefined
}

/**
 * The error of a failed exchange: Salesforce's code and status kept, a hint added for the common
 * refusals, and the subject token taken out of every text (it is a bearer credential).
 */
export function exchangeError(err: unknown, subjectToken: string, attempt: Attempt): unknown {
  if (!(err instanceof SfAuthError)) return err
  const clean = scrub(err.message, [subjectToken])
  const extra = hint(err, attempt)
  if (clean === err.message && extra === undefined) return err
  return new SfAuthError(extra === undefined ? clean : `${clean}. ${extra}`, {
    errorCode: err.errorCode,
    status: err.status,
    // The original keeps the token in its message when Salesforce echoed it: leave it out then.
    ...(clean === err.message ? { cause: err } : {}),
  })
}

/** The refusal of a subject token longer than {@link MAX_SUBJECT_TOKEN_LENGTH}, before sending it. */
export function tooLong(length: number): SfAuthError {
  return new SfAuthError(
    `The subject token has ${length} characters; Salesforce accepts at most ${MAX_SUBJECT_TOKEN_LENGTH}, so it was not sent. Exchange a shorter token (an access token or an id_token with fewer claims)`,
    { errorCode: 'ERR_SUBJECT_TOKEN_TOO_LONG' },
  )
}

/** The `subjectToken` function failed or gave something other than a non-empty string. */
export function badSource(cause: unknown): SfAuthError {
  const why =
    cause === undefined
      ? 'did not resolve to a non-empty string'
      : `failed: ${cause instanceof Error ? cause.message : String(cause)}`
  return new SfAuthError(`tokenExchange(): the subjectToken function ${why}`, {
    errorCode: 'ERR_SUBJECT_TOKEN',
    ...(cause === undefined ? {} : { cause }),
  })
}
