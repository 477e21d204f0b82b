import { SfAuthError } from './errors.js'
import type { TokenResponse } from './types.js'

const encoder = new TextEncoder()

function base64(bytes: ArrayBuffer): string {
  let binary = ''
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/**
 * Checks a token response's `signature`: Base64(HMAC-SHA256(client secret, id + issued_at)).
 * Resolves when it matches or when the response carries no signature.
 *
 * @param res the token response.
 * @param clientSecret the connected app's consumer secret.
 * @returns a promise that resolves once the signature is checked.
 * @throws {SfAuthError} `ERR_SIGNATURE` when it does not match.
 * @example
 * ```ts
 * await verifyTokenSignature(tokenResponse, clientSecret)
 * ```
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export async function verifyTokenSignature(
  res: TokenResponse,
  clientSecret: string,
): Promise<void> {
  if (res.signature === undefined || res.issued_at === undefined) return
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(clientSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const expected = base64(
    await crypto.subtle.sign('HMAC', key, encoder.encode(res.id + res.issued_at)),
  )
  if (expected !== res.signature) {
    throw new SfAuthError(
      'The token response signature does not match its id and issued_at: the response was altered or the client secret is wrong',
      { errorCode: 'ERR_SIGNATURE' },
    )
  }
}
