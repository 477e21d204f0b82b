import { base64url, randomBase64url } from './base64url.js'

/**
 * 64 random bytes give an 86-character verifier: well inside RFC 7636's 43–128 characters and
 * far above its 256-bit entropy recommendation.
 */
const VERIFIER_BYTES = 64

/**
 * A fresh PKCE `code_verifier`: 86 characters of the unreserved base64url alphabet.
 * @see https://datatracker.ietf.org/doc/html/rfc7636#section-4.1
 */
export function createCodeVerifier(): string {
  return randomBase64url(VERIFIER_BYTES)
}

/**
 * The `S256` challenge of a verifier: base64url(SHA-256(ASCII(verifier))), no padding.
 * @see https://datatracker.ietf.org/doc/html/rfc7636#section-4.2
 */
export async function codeChallengeS256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))
  return base64url(new Uint8Array(digest))
}
