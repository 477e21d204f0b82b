import { SfAuthError } from '@sfauth/core/flow'

// This package's own error code, added to core's registry (no edit of core needed).
declare module '@sfauth/core/flow' {
  interface SfAuthErrorCodes {
    /** `@sfauth/oauth2`: the authorization callback's `state` is not the one sent. */
    ERR_STATE_MISMATCH: true
  }
}

/**
 * What {@link parseAuthorizationCallback} reads from a successful callback.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export interface AuthorizationCallback {
  /** The authorization code, for `conn.authorize(code, { code_verifier })`. */
  code: string
  /** The `state` Salesforce echoed, if any. */
  state: string | undefined
}

/**
 * Options of {@link parseAuthorizationCallback}.
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-10.12
 */
export interface ParseAuthorizationCallbackOptions {
  /**
   * The `state` sent with the authorize request; the callback must carry exactly this value.
   * Once the key is present, an `undefined` or empty value (the user's session expired, so
   * `req.session.state` is gone) refuses every callback instead of checking nothing.
   */
  state?: string | undefined
}

/** Salesforce's error codes are short ASCII words; anything longer is not one. */
const MAX_ERROR_CODE = 200
/** Room for any real `error_description`, not for a page of attacker-chosen text. */
const MAX_ERROR_DESCRIPTION = 1000

/**
 * The callback's `error` and `error_description` come from whoever made the user's browser
 * open the callback URL, not from Salesforce: they are capped and stripped of control
 * characters (C0, DEL, C1, bidi overrides and line or paragraph separators) so they cannot
 * forge log lines or reorder what a terminal shows.
 */
function untrustedText(value: string, max: number): string {
  const clean = value.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    '',
  )
  return clean.length > max ? `${clean.slice(0, max)}\u2026` : clean
}

type CallbackInput = string | URL | URLSearchParams | Record<string, unknown>

function searchParamsOf(input: CallbackInput): URLSearchParams {
  if (input instanceof URLSearchParams) return input
  if (input instanceof URL) return input.searchParams
  if (typeof input === 'string') {
    if (/^[a-z][a-z0-9+.-]*:/i.test(input)) return new URL(input).searchParams
    const query = input.includes('?') ? input.slice(input.indexOf('?') + 1) : input
    return new URLSearchParams(query)
  }
  if (typeof input === 'object' && input !== null) {
    // A parsed query object such as Express's req.query: only single string values count.
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries(input)) {
      if (typeof value === 'string') params.set(name, value)
    }
    return params
  }
  throw new TypeError(
    'parseAuthorizationCallback() takes the callback URL, its query string, URLSearchParams or a parsed query object',
  )
}

/**
 * Reads the redirect Salesforce sends to the callback URL after the authorize page: the
 * authorization code on success, or the error the user or Salesforce chose
 * (`?error=access_denied&error_description=end-user+denied+authorization`).
 *
 * The callback URL is opened by the user's browser, so anyone can make it carry anything: its
 * `error` and `error_description` are untrusted text. They are capped (200 and 1,000
 * characters) and stripped of control characters before they become the error's `errorCode`
 * and message; show them to the user as plain text, never as HTML.
 *
 * @param input The callback URL (absolute or a path with its query), its query string,
 *   `URLSearchParams`, or a parsed query object such as Express's `req.query`.
 * @param options `state`: the value sent with the authorize request; a callback with any other
 *   state is rejected before anything else is believed. When the `state` key is present, an
 *   `undefined` or empty value rejects every callback (login CSRF after the user's session
 *   expired); omit the key only when no state was sent.
 * @returns `{ code, state }`.
 * @throws {SfAuthError} `errorCode` = the callback's `error` (`access_denied`, `invalid_scope`,
 *   `redirect_uri_mismatch`, ...) with `error_description` as message, both capped and without
 *   control characters; `ERR_STATE_MISMATCH` when `options` has a `state` key and the callback's
 *   state differs from it, or the expected state is `undefined` or empty;
 *   `ERR_INVALID_RESPONSE` when there is neither a code nor an error.
 * @throws {TypeError} for an input of another type.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm
 * @example
 * ```ts
 * app.get('/oauth2/callback', async (req, res) => {
 *   const { code } = parseAuthorizationCallback(req.query, { state: req.session.state })
 *   const userInfo = await new Connection({ oauth2 }).authorize(code, {
 *     code_verifier: req.session.codeVerifier,
 *   })
 *   res.send(`User ID: ${userInfo.id}`)
 * })
 * ```
 */
export function parseAuthorizationCallback(
  input: CallbackInput,
  options: ParseAuthorizationCallbackOptions = {},
): AuthorizationCallback {
  const params = searchParamsOf(input)
  const state = params.get('state') ?? undefined
  // A callback for another request (CSRF, a second tab) is not believed, not even its error.
  // An expected state that is present but missing (an expired user session) checks nothing,
  // so it refuses rather than letting any code through.
  if (
    Object.hasOwn(options, 'state') &&
    (typeof options.state !== 'string' || options.state === '' || state !== options.state)
  ) {
    throw new SfAuthError(
      'The callback state does not match the state of this authorization request: the request was not started by this session, or was started again since',
      { errorCode: 'ERR_STATE_MISMATCH' },
    )
  }
  const error = params.get('error')
  if (error) {
    const errorCode = untrustedText(error, MAX_ERROR_CODE) || 'ERR_INVALID_RESPONSE'
    const description = untrustedText(params.get('error_description') ?? '', MAX_ERROR_DESCRIPTION)
    throw new SfAuthError(description || errorCode, { errorCode })
  }
  const code = params.get('code')
  if (!code) {
    throw new SfAuthError('The callback carries neither an authorization code nor an error', {
      errorCode: 'ERR_INVALID_RESPONSE',
    })
  }
  return { code, state }
}
