/**
 * Checks a PKCE code_verifier against the stored challenge: `S256` is
 * base64url(SHA-256(verifier)) without padding, `plain` is the verifier itself.
 *
 * @see https://datatracker.ietf.org/doc/html/rfc7636#section-4.6
 */
export async function verifierMatches(
  verifier: string,
  challenge: string,
  method: string,
): Promise<boolean> {
  if (method === 'plain') return verifier === challenge
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)),
  )
  const encoded = btoa(String.fromCharCode(...digest))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
  return encoded === challenge
}
