import { SfAuthError } from '@sfauth/core/flow'

// This package's own error codes, added to core's registry (no edit of core needed).
declare module '@sfauth/core/flow' {
  interface SfAuthErrorCodes {
    /** `@sfauth/oauth2/openid`: an id_token whose signature, algorithm, issuer, audience, times or nonce do not hold. */
    ERR_ID_TOKEN_INVALID: true
  }
}

import { decodeJwt, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose'
import { checkIssuer } from './issuer.js'
import { issuerKeys } from './jwks-cache.js'

/** Seconds of clock skew allowed by default on `exp` and `iat`. */
const DEFAULT_CLOCK_TOLERANCE = 30

/** Options of {@link verifyIdToken}. */
export interface VerifyIdTokenOptions {
  /** Consumer key of the connected app: the token's `aud` must be it. */
  clientId: string
  /** The `nonce` sent with the authorization request; the token must carry the same one. */
  nonce?: string
  /** `fetch` for the key set download; default the global `fetch`. Keys are cached per `fetch`. */
  fetch?: typeof fetch
  /** Seconds of clock skew accepted on `exp` and `iat`; default 30. */
  clockTolerance?: number
  /**
   * The issuers to accept (`https://acme.my.salesforce.com`, `https://login.salesforce.com`, a
   * site URL with its path). Default: any host on a Salesforce domain (and loopback hosts, for
   * the emulator); set it for an Experience Cloud site on a custom domain, or to pin one org.
   */
  issuer?: string | readonly string[]
}

/**
 * The claims of a verified Salesforce id_token.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
 */
export interface IdTokenClaims extends JWTPayload {
  /** The login host the user signed in on (a My Domain, sandbox, site or login host). */
  iss: string
  /** The user's identity URL (`https://…/id/<orgId>/<userId>`). */
  sub: string
  /** The connected app's consumer key. */
  aud: string | string[]
  /** Expiry, seconds since the epoch. */
  exp: number
  /** Issue time, seconds since the epoch. */
  iat: number
  /** The authorization request's `nonce`, when one was sent. */
  nonce?: string
  /** Half of the SHA-256 of the access token it came with, base64url. */
  at_hash?: string
}

function invalid(reason: string, cause?: unknown): SfAuthError {
  return new SfAuthError(`id_token rejected: ${reason}`, {
    errorCode: 'ERR_ID_TOKEN_INVALID',
    // jose's errors hold only a reason and a code, never the token; keep them for debugging.
    ...(cause ? { cause } : {}),
  })
}

function joseReason(err: unknown): string {
  return err instanceof Error && err.message ? err.message : 'verification failed'
}

function joseCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as { code?: string }).code : undefined
}

/**
 * Verifies a Salesforce OpenID Connect id_token and returns its claims: the RS256 signature
 * against the key set of the token's own issuer (`${iss}/id/keys`, since a My Domain login's key
 * id is published only there), `aud` equal to `clientId`, `exp`, `iat` (not in the future) and
 * `nonce` when given. Keys are cached per issuer and fetched again when a token names an
 * unknown key id (key rotation).
 *
 * @param idToken the `id_token` of a token response (scope `openid`).
 * @param options `clientId`, and optionally `nonce`, `fetch`, `clockTolerance` (seconds), `issuer`.
 * @returns the verified claims.
 * @throws {TypeError} when `idToken` is not a string or `clientId` is missing.
 * @throws {SfAuthError} `ERR_ID_TOKEN_INVALID` for any token that does not verify (the reason
 *   is in the message; the token is never in it); `ERR_NETWORK`, `ERR_HTTP` or
 *   `ERR_INVALID_RESPONSE` when the issuer's key set cannot be fetched.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 * @example
 * ```ts
 * import { verifyIdToken } from '@sfauth/oauth2/openid'
 *
 * const { url, state, codeVerifier, nonce } = await oauth2.createAuthorizationRequest({ scope: 'openid api' })
 * // ... in the callback:
 * const tokens = await oauth2.requestToken(code, { code_verifier: codeVerifier })
 * const claims = await verifyIdToken(tokens.id_token as string, { clientId: oauth2.clientId, nonce })
 * ```
 */
export async function verifyIdToken(
  idToken: string,
  options: VerifyIdTokenOptions,
): Promise<IdTokenClaims> {
  if (typeof idToken !== 'string') throw new TypeError('verifyIdToken() needs the id_token string')
  if (typeof options?.clientId !== 'string' || options.clientId === '') {
    throw new TypeError('verifyIdToken() needs { clientId }')
  }
  const tolerance = options.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE
  if (typeof tolerance !== 'number' || !(tolerance >= 0)) {
    throw new TypeError('clockTolerance must be a number of seconds, 0 or more')
  }
  const allowed = typeof options.issuer === 'string' ? [options.issuer] : options.issuer
  const fetchFn = options.fetch ?? globalThis.fetch

  let alg: string | undefined
  let iss: unknown
  try {
    alg = decodeProtectedHeader(idToken).alg
    iss = decodeJwt(idToken).iss
  } catch (err) {
    throw invalid(`not a JWT (${joseReason(err)})`)
  }
  // Refused before any key is fetched: `none` and HMAC would let anyone forge a token.
  if (alg !== 'RS256') throw invalid(`alg must be RS256, got ${JSON.stringify(alg ?? null)}`)
  const issuer = checkIssuer(iss, allowed)

  const verifyWith = async (refresh: boolean) => {
    const { keys, fresh } = await issuerKeys(fetchFn, issuer, refresh)
    try {
      return await jwtVerify(idToken, keys, {
        algorithms: ['RS256'],
        issuer: iss as string,
        audience: options.clientId,
        clockTolerance: tolerance,
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
      })
    } catch (err) {
      if (joseCode(err) === 'ERR_JWKS_NO_MATCHING_KEY' && !fresh && !refresh) return undefined
      throw invalid(joseReason(err), err)
    }
  }
  // An unknown kid may be a key the issuer rotated in since the keys were cached: fetch again once.
  const result = (await verifyWith(false)) ?? (await verifyWith(true))
  if (!result) throw invalid('no key of the issuer matches the token')
  const claims = result.payload as IdTokenClaims

  if (claims.iat > Date.now() / 1000 + tolerance) throw invalid('"iat" is in the future')
  if (options.nonce !== undefined && claims.nonce !== options.nonce) {
    throw invalid('"nonce" does not match the authorization request')
  }
  return claims
}
