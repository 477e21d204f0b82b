import { SfAuthError } from '@sfauth/core/flow'

// This package's own error codes, added to core's registry (no edit of core needed).
declare module '@sfauth/core/flow' {
  interface SfAuthErrorCodes {
    /** `@sfauth/oauth2`: `parseSfdxAuthUrl` of a string that is not `force://<clientId>:<secret>:<refreshToken>@<host>`. */
    INVALID_SFDX_AUTH_URL: true
  }
}

/**
 * Salesforce CLI's own pattern (sfdx-core `AuthInfo.parseSfdxAuthUrl`), kept character for
 * character so that whatever the CLI accepts is accepted here and nothing more: a client id, a
 * possibly empty secret and a refresh token, each allowed up to two trailing `=`; a host without
 * scheme that may carry a port. Anything after the host (a path, a newline from a CI secret) is
 * ignored, as the CLI ignores it.
 */
const SFDX_AUTH_URL =
  /^force:\/\/([a-zA-Z0-9._-]+={0,2}):([a-zA-Z0-9._-]*={0,2}):([a-zA-Z0-9._-]+={0,2})@([a-zA-Z0-9:._-]+)/

/** What {@link parseSfdxAuthUrl} returns: enough to build an `OAuth2` and a `Connection`. */
export interface SfdxAuthFields {
  /** Consumer key of the connected app (`PlatformCLI` for the CLI's default app). */
  clientId: string
  /** Consumer secret; absent when the URL's secret is empty (a public client such as the CLI's). */
  clientSecret?: string
  /** The refresh token that renews the session. */
  refreshToken: string
  /** `https://<host>` from the URL: the My Domain or instance the CLI wrote. */
  loginUrl: string
}

/** The parts of a `Connection` that {@link toSfdxAuthUrl} reads. */
export interface SfdxAuthSource {
  /** The refresh token to put in the URL. */
  readonly refreshToken?: string | undefined
  /** Where the session lives; its host goes in the URL, as the CLI writes it. */
  readonly instanceUrl?: string | undefined
  /** Used when the connection has no instance URL yet. */
  readonly loginUrl?: string | undefined
  /** An `OAuth2` instance or `{ clientId, clientSecret? }`. */
  readonly oauth2?: { readonly clientId: string; readonly clientSecret?: string } | undefined
}

/**
 * Reads an SFDX auth URL, `force://<clientId>:<clientSecret>:<refreshToken>@<host>`, the string
 * Salesforce CLI users keep in CI secrets (`sf org display --verbose` prints it), by the CLI's
 * own rules: an empty secret is allowed, each field may end in `=` or `==`, the host may carry a
 * port, and anything after the host is ignored. The host is what follows the first `@` after the
 * refresh token: `force://id::token@evil.example:443@login.salesforce.com` logs in at
 * `https://evil.example:443`, as the CLI reads it. Check `loginUrl` before use when the URL
 * comes from someone else.
 *
 * @param url the SFDX auth URL.
 * @returns `{ clientId, clientSecret?, refreshToken, loginUrl }`; `loginUrl` is `https://<host>`.
 * @throws {SfAuthError} `INVALID_SFDX_AUTH_URL` when `url` does not match; the message describes
 *   the expected form and never repeats the input, which holds a refresh token.
 * @see https://developer.salesforce.com/docs/atlas.en-us.sfdx_cli_reference.meta/sfdx_cli_reference/cli_reference_org_commands_unified.htm#cli_reference_org_login_sfdx-url_unified
 * @example
 * ```ts
 * // sfdxAuthUrl: the CI secret, e.g. the output of `sf org display --verbose --json` (result.sfdxAuthUrl)
 * const { clientId, clientSecret, refreshToken, loginUrl } = parseSfdxAuthUrl(sfdxAuthUrl)
 * const conn = new Connection({ loginUrl, oauth2: new OAuth2({ clientId, clientSecret, loginUrl }), refreshToken })
 * ```
 */
export function parseSfdxAuthUrl(url: string): SfdxAuthFields {
  const match = typeof url === 'string' ? SFDX_AUTH_URL.exec(url) : null
  if (!match) {
    throw new SfAuthError(
      'Invalid SFDX auth URL: expected force://<clientId>:<clientSecret>:<refreshToken>@<host>, ' +
        'with the "force" scheme and a host without "https://" (the secret may be empty)',
      { errorCode: 'INVALID_SFDX_AUTH_URL' },
    )
  }
  const [, clientId, clientSecret, refreshToken, host] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ]
  return {
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    refreshToken,
    loginUrl: `https://${host}`,
  }
}

/**
 * Writes a connection's SFDX auth URL, as Salesforce CLI's `AuthInfo.getSfdxAuthUrl` does:
 * `force://<clientId>:<clientSecret>:<refreshToken>@<host>`, where host (with any port) is the
 * instance URL's, falling back to the login URL before the first login. {@link parseSfdxAuthUrl}
 * gives the same fields back.
 *
 * @param conn a `Connection` (or anything with `refreshToken`, `instanceUrl`/`loginUrl` and
 *   `oauth2.clientId`) that holds a refresh token.
 * @returns the SFDX auth URL. It holds the refresh token and secret: store it as a secret.
 * @throws {TypeError} without a refresh token, a client id, or a URL, for an instance or login
 *   URL that does not parse, or when a field has characters the CLI's format cannot carry. No
 *   value is named, in the message or any other property of the error.
 * @see https://developer.salesforce.com/docs/atlas.en-us.sfdx_cli_reference.meta/sfdx_cli_reference/cli_reference_org_commands_unified.htm#cli_reference_org_display_unified
 * @example
 * ```ts
 * const conn = new Connection({ oauth2 })
 * await conn.authorize(code, { code_verifier })
 * await saveSecret('SFDX_AUTH_URL', toSfdxAuthUrl(conn))
 * ```
 */
export function toSfdxAuthUrl(conn: SfdxAuthSource): string {
  const refreshToken = conn?.refreshToken
  if (!refreshToken) {
    throw new TypeError('toSfdxAuthUrl() needs a connection with a refresh token')
  }
  const clientId = conn.oauth2?.clientId
  if (!clientId) {
    throw new TypeError('toSfdxAuthUrl() needs a connection whose oauth2 has a clientId')
  }
  const base = conn.instanceUrl ?? conn.loginUrl
  if (!base) throw new TypeError('toSfdxAuthUrl() needs a connection with an instance URL')
  let host: string
  try {
    host = new URL(base).host
  } catch {
    // Not rethrown: Node's ERR_INVALID_URL quotes the value in its `input` property.
    throw new TypeError(
      'toSfdxAuthUrl(): the instance or login URL is not an absolute URL (not shown)',
    )
  }
  const url = `force://${clientId}:${conn.oauth2?.clientSecret ?? ''}:${refreshToken}@${host}`
  // A field with a ':' or '@' (or the like) would be read back differently, so refuse it here
  // rather than hand out a URL the CLI and parseSfdxAuthUrl() reject or misread. No value is named.
  const back = SFDX_AUTH_URL.exec(url)
  if (!back || back[0] !== url) {
    throw new TypeError(
      'toSfdxAuthUrl(): the client id, secret, refresh token or host has characters an SFDX auth URL cannot carry',
    )
  }
  return url
}
