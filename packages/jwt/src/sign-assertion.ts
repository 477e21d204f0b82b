import { SignJWT } from 'jose'

/** The claims of a JWT bearer assertion. */
export interface AssertionClaims {
  /** The connected app's consumer key. */
  iss: string
  /** The username of the user to log in as. */
  sub: string
  aud: string
  /** Seconds from now until `exp`. */
  expiresIn: number
}

/**
 * Signs a JWT bearer assertion with RS256. The claims are the minimal set Salesforce reads
 * (`iss`, `sub`, `aud`, `exp` in NumericDate seconds); it ignores `iat` and `jti`.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
export function signAssertion(key: CryptoKey, claims: AssertionClaims): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) + claims.expiresIn
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(claims.iss)
    .setSubject(claims.sub)
    .setAudience(claims.aud)
    .setExpirationTime(exp)
    .sign(key)
}
