const MIN_SECRET_LENGTH = 4

function xmlEscape(value: string, quotes: boolean): string {
  const out = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return quotes ? out.replace(/"/g, '&quot;').replace(/'/g, '&apos;') : out
}

/** Every form a secret takes once a server or a library has escaped or reflowed it. */
function formsOf(secret: string): string[] {
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    xmlEscape(secret, false),
    xmlEscape(secret, true),
    secret.replace(/\s+/g, ' ').trim(),
    new URLSearchParams({ s: secret }).toString().slice(2),
  ]
  try {
    forms.push(encodeURIComponent(secret))
  } catch {
    // A lone surrogate cannot be URL-encoded, so no server echoes it that way.
  }
  // The longest first, so that no form is left half replaced by a shorter one it contains.
  return forms.filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length)
}

/**
 * Replaces every occurrence of each secret in `text` with `[redacted]`, so an error message that
 * quotes a request never shows a password, secret or token: the raw value and the forms an echo
 * gives it (URL- and form-encoded, JSON- and XML-escaped, whitespace collapsed).
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
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue
    for (const form of formsOf(secret)) out = out.split(form).join('[redacted]')
  }
  return out
}

/**
 * `text` without its end when that end is the start of a secret (in any form {@link scrub}
 * knows): what is left of a secret that a cut fell inside, which {@link scrub} cannot match.
 * @param text text that was cut.
 * @param secrets the values to hide.
 * @returns `text`, shortened by the longest such end.
 */
export function dropCutSecret(
  text: string,
  secrets: readonly (string | undefined)[] | undefined,
): string {
  let end = text.length
  for (const secret of secrets ?? []) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue
    for (const form of formsOf(secret)) {
      // Longest first; only an end longer than the one already found shortens it further.
      for (let k = Math.min(form.length - 1, text.length); k > text.length - end; k--) {
        if (text.endsWith(form.slice(0, k))) {
          end = text.length - k
          break
        }
      }
    }
  }
  return text.slice(0, end)
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
  return token.length <= 12 ? '[redacted]' : `${token.slice(0, 6)}\u2026[redacted]`
}
