const MIN_SECRET_LENGTH = 4

/**
 * Replaces every occurrence of each secret in `text` with `[redacted]`, so an error message that
 * quotes a request never shows a password, secret or token.
 *
 * @param text the message.
 * @param secrets the values to hide; `undefined` and values shorter than 4 characters are skipped.
 * @returns `text` without the secrets.
 * @throws never.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm
 * @example
 * ```ts
 * scrub(`refresh failed for ${refreshToken}`, [refreshToken]) // 'refresh failed for [redacted]'
 * ```
 */
export function scrub(text: string, secrets: readonly (string | undefined)[] | undefined): string {
  if (!secrets) return text
  let out = text
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join('[redacted]')
  }
  return out
}

/**
 * A token shortened for display: enough to tell two apart, too little to use.
 *
 * @param token an access token, session ID or refresh token.
 * @returns the first 6 characters and `…[redacted]` (`[redacted]` alone for short tokens), or
 *   `undefined` for no token.
 * @throws never.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flows.htm
 * @example
 * ```ts
 * console.log(`token ${maskToken(conn.accessToken)}`) // token 00DgK0…[redacted]
 * ```
 */
export function maskToken(token: string | undefined): string | undefined {
  if (!token) return undefined
  return token.length <= 12 ? '[redacted]' : `${token.slice(0, 6)}…[redacted]`
}
