import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'

/** Key id published in the JWKS and put in every id_token header. */
const KEY_ID = 'sfauth-emulator-1'

/** id_token lifetime; Salesforce samples show a short-lived token. */
const ID_TOKEN_SECONDS = 300

/**
 * The emulator's own RS256 signing key, made on first use so that emulators that never issue an
 * id_token never pay for RSA key generation.
 */
export class SigningKey {
  #pair: Promise<CryptoKeyPair> | undefined

  #keys(): Promise<CryptoKeyPair> {
    this.#pair ??= generateKeyPair('RS256', { extractable: true })
    return this.#pair
  }

  /**
   * The public key as served at `/id/keys`.
   *
   * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid_discovery_endpoint.htm
   */
  async jwk(): Promise<JWK> {
    const jwk = await exportJWK((await this.#keys()).publicKey)
    return { ...jwk, alg: 'RS256', use: 'sig', kid: KEY_ID }
  }

  async sign(claims: Record<string, unknown>): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: KEY_ID })
      .sign((await this.#keys()).privateKey)
  }
}

export interface IdTokenClaims {
  issuer: string
  identityUrl: string
  clientId: string
  accessToken: string
  issuedAtMs: number
  nonce?: string
}

/**
 * An OpenID Connect id_token, issued when the granted scope includes `openid`.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken
 */
export async function idToken(key: SigningKey, claims: IdTokenClaims): Promise<string> {
  const iat = Math.floor(claims.issuedAtMs / 1000)
  return key.sign({
    at_hash: await atHash(claims.accessToken),
    sub: claims.identityUrl,
    aud: claims.clientId,
    iss: claims.issuer,
    exp: iat + ID_TOKEN_SECONDS,
    iat,
    ...(claims.nonce ? { nonce: claims.nonce } : {}),
  })
}

/** base64url of the left half of SHA-256(access token), binding the id_token to it. */
async function atHash(accessToken: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken)),
  )
  return btoa(String.fromCharCode(...digest.slice(0, 16)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}
