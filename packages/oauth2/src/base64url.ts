/** Base64url without padding (RFC 4648 §5), the alphabet PKCE and `state` values use. */
export function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** `size` bytes from the platform's CSPRNG, base64url encoded. */
export function randomBase64url(size: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(size)))
}
