const MIN_SECRET_LENGTH = 4

/** Replaces every occurrence of each secret in `text` with `[redacted]`. */
export function scrub(text: string, secrets: readonly (string | undefined)[] | undefined): string {
  if (!secrets) return text
  let out = text
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join('[redacted]')
  }
  return out
}

/** A token shortened for display: enough to tell two apart, too little to use. */
export function maskToken(token: string | undefined): string | undefined {
  if (!token) return undefined
  return token.length <= 12 ? '[redacted]' : `${token.slice(0, 6)}…[redacted]`
}
