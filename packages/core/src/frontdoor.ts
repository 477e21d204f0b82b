// The package's own published entry, not ../src modules: this entry ships as a file of its own
// that imports flow.js, so core's one runtime file (ARCHITECTURE.md) stays one file and an app
// that never imports this entry never loads it.
import { type Connection, errorFromResponse, SfAuthError, secureUrl } from '@sfauth/core/flow'

/** Options of {@link frontdoorUrl}. */
export interface FrontdoorUrlOptions {
  /**
   * Where the browser lands once logged in: a path on the instance such as
   * `'/lightning/setup/SetupOneHome/home'` or `'/lightning/r/Account/001.../view'` (Salesforce's
   * `redirect_uri`). Default: Salesforce's choice, the home page.
   */
  path?: string
  /** Stops the call (and its wait for a renewal) with `ERR_ABORTED`. */
  signal?: AbortSignal
}

/** What a logged frontdoor URL shows instead of its one-time password. */
const HIDDEN = '?[single-use credential, read .url]'

/**
 * A single-use frontdoor URL: whoever opens it first is logged in to Salesforce as the session's
 * user, so it is a credential. Read it by name, `.url`, at the one place it is used (a browser, a
 * redirect). Everything else shows it masked: `String(x)`, `${x}`, `JSON.stringify(x)` and
 * `util.inspect(x)` give the origin and path only.
 *
 * @see https://help.salesforce.com/s/articleView?id=xcloud.frontdoor_singleaccess.htm&type=5
 * @example
 * ```ts
 * const door = await frontdoorUrl(conn, { path: '/lightning/page/home' })
 * await page.goto(door.url)
 * console.log(`opened ${door}`) // opened https://acme.my.salesforce.com/secur/frontdoor.jsp?[single-use credential, read .url]
 * ```
 */
export class FrontdoorUrl {
  readonly #url: string

  /** @param url the `frontdoor_uri` Salesforce answered. */
  constructor(url: string) {
    this.#url = url
  }

  /** The URL itself, for the browser. Never log it. */
  get url(): string {
    return this.#url
  }

  /**
   * The URL without its query (where the one-time password is).
   * @returns `origin` + `path` and a note that the rest is hidden.
   */
  toString(): string {
    const { origin, pathname } = new URL(this.#url)
    return `${origin}${pathname}${HIDDEN}`
  }

  /**
   * What `JSON.stringify` shows: the masked URL.
   * @returns `{ url }` with the URL masked as in {@link FrontdoorUrl.toString}.
   */
  toJSON(): { url: string } {
    return { url: this.toString() }
  }

  /**
   * What Node's `util.inspect` (and `console.log`) shows.
   * @returns the masked URL.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `FrontdoorUrl { url: '${this.toString()}' }`
  }
}

/** A path on the instance: one leading slash, not `//host`, no backslash. */
function isInstancePath(path: unknown): path is string {
  return (
    typeof path === 'string' &&
    path.startsWith('/') &&
    !path.startsWith('//') &&
    !path.includes('\\')
  )
}

function invalid(message: string, status: number): SfAuthError {
  return new SfAuthError(message, { errorCode: 'ERR_INVALID_RESPONSE', status })
}

/**
 * A single-use frontdoor URL for the connection's live session (Salesforce's Single Access UI
 * Bridge API): opening it logs a browser in as the session's user, once, and sends it to `path`.
 * This is "open the org in a browser" without a session id in the URL. The call goes through
 * `conn.fetch()`, so an expired session is renewed once, as for `conn.request()`. Import it from
 * its own entry, `@sfauth/core/frontdoor`: an app that never opens a browser never bundles it.
 *
 * The URL is a credential, short-lived and good for one visit: this library never logs it, no
 * error carries it, and the returned {@link FrontdoorUrl} shows it masked except through `.url`.
 *
 * @param conn a connection with a session (any flow).
 * @param options `path` to land on, `signal` to abort.
 * @returns the URL, masked unless read as `.url`.
 * @throws {TypeError} for a `path` that is not a path on the instance (`/...`).
 * @throws {SfAuthError} `ERR_NO_SESSION` without a session; Salesforce's error for a refusal
 *   (`Bad_OAuth_Token` 403 once a renewal could not help, `invalid_request`, ...);
 *   `ERR_INVALID_RESPONSE` for an answer without a usable `frontdoor_uri`; transport errors as
 *   `conn.fetch()` has them.
 * @see https://help.salesforce.com/s/articleView?id=xcloud.frontdoor_singleaccess.htm&type=5
 * @example
 * ```ts
 * import { frontdoorUrl } from '@sfauth/core/frontdoor'
 *
 * const door = await frontdoorUrl(conn, { path: '/lightning/setup/SetupOneHome/home' })
 * res.redirect(door.url) // or: await page.goto(door.url)
 * ```
 */
export async function frontdoorUrl(
  conn: Connection,
  options: FrontdoorUrlOptions = {},
): Promise<FrontdoorUrl> {
  const { path, signal } = options
  if (path !== undefined && !isInstancePath(path)) {
    throw new TypeError(
      `frontdoorUrl: path must be a path on the instance, such as '/lightning/page/home'`,
    )
  }
  const body = new URLSearchParams(path === undefined ? {} : { redirect_uri: path })
  const res = await conn.fetch('/services/oauth2/singleaccess', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body,
    ...(signal ? { signal } : {}),
  })
  const text = await res.text()
  if (!res.ok) {
    throw errorFromResponse(
      { status: res.status, statusText: res.statusText, headers: res.headers, text },
      [conn.accessToken],
    )
  }
  // The body holds the credential: it is never put in a message, not even in part.
  let answer: unknown
  try {
    answer = JSON.parse(text)
  } catch {
    throw invalid(
      `The Single Access UI Bridge API answered HTTP ${res.status} with a body that is not JSON`,
      res.status,
    )
  }
  const uri = (answer as { frontdoor_uri?: unknown } | null)?.frontdoor_uri
  if (typeof uri !== 'string' || uri === '') {
    throw invalid(
      `The Single Access UI Bridge API answered HTTP ${res.status} without a frontdoor_uri`,
      res.status,
    )
  }
  let url: URL
  try {
    url = secureUrl(uri, 'frontdoor_uri')
  } catch {
    throw invalid(
      `The Single Access UI Bridge API answered a frontdoor_uri that is not an https URL`,
      res.status,
    )
  }
  return new FrontdoorUrl(url.href)
}
