import { SfAuthError, safeCause } from '@sfauth/core/flow'

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
  /**
   * `fetch` for the key set download; default the global `fetch`. Keys are cached, and key set
   * downloads for new issuers counted, per `fetch`: pass the same function every time.
   */
  fetch?: typeof fetch
  /** Seconds of clock skew accepted on `exp` and `iat`; default 30. */
  clockTolerance?: number
  /**
   * The issuers to accept, exactly (`https://acme.my.salesforce.com`, an Experience Cloud site
   * URL with its path, `http://127.0.0.1:8080` for a local emulator); a trailing slash is ignored.
   * Default: Salesforce's login hosts (`https://login.salesforce.com`,
   * `https://test.salesforce.com`) and My Domain hosts (`https://<name>.my.salesforce.com`, and
   * the sandbox and partitioned forms such as `<name>--<sandbox>.sandbox.my.salesforce.com`),
   * with no path, port, query or fragment. A Site, an Experience Cloud site, a custom domain, a
   * government or China cloud host and a loopback issuer are trusted only when named here: a
   * site serves files its org uploads, so anyone could publish keys there. Set it also to pin
   * the org(s) an app serves.
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
  /** The client the token was issued to; when present it must be `clientId`. */
  azp?: string
  /** Half of the SHA-256 of the access token it came with, base64url. */
  at_hash?: string
}

function invalid(reason: string, cause?: unknown): SfAuthError {
  return new SfAuthError(`id_token rejected: ${reason}`, {
    errorCode: 'ERR_ID_TOKEN_INVALID',
    // jose's claim errors carry the token's whole payload: keep its name, code and message only.
    ...(cause ? { cause: safeCause(cause) } : {}),
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
 * against the key set of the token's own issuer (`<iss>/id/keys`, since a My Domain login's key
 * id is published only there), `aud` equal to or containing `clientId` (with several audiences,
 * `azp` must be `clientId`), `exp`, `iat` (not in the future) and `nonce` when given. The issuer
 * is checked before any key is fetched: without the `issuer` option only Salesforce's login and
 * My Domain hosts are trusted (see {@link VerifyIdTokenOptions.issuer}). Keys are cached per
 * issuer (at most 256 KiB read of a key set) and fetched again when a token names an unknown key
 * id (key rotation); key sets of at most 16 new issuers are fetched per minute.
 *
 * @param idToken the `id_token` of a token response (scope `openid`).
 * @param options `clientId`, and optionally `nonce`, `fetch`, `clockTolerance` (seconds), `issuer`.
 * @returns the verified claims.
 * @throws {TypeError} when `idToken` is not a string, `clientId` is missing or `issuer` is not
 *   a string or a list of strings.
 * @throws {SfAuthError} `ERR_ID_TOKEN_INVALID` for any token that does not verify (the reason
 *   is in the message; the token is never in it); `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_HTTP`,
 *   `ERR_REDIRECT` or `ERR_INVALID_RESPONSE` (a key set that is not one, or larger than 256 KiB)
 *   when the issuer's key set cannot be fetched.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 * @see https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid_discovery_endpoint.htm
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
  if (
    allowed !== undefined &&
    !(Array.isArray(allowed) && allowed.every((value) => typeof value === 'string'))
  ) {
    throw new TypeError('issuer must be a URL string or a list of them')
  }
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
  const keysUrl = checkIssuer(iss, allowed)

  const verifyWith = async (refresh: boolean) => {
    const { keys, fresh } = await issuerKeys(fetchFn, keysUrl, refresh)
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
  // OpenID Connect Core 3.1.3.7: a token for several audiences names the one it was issued to,
  // so a token another client obtained (listing this one too) is not taken for this client's.
  if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp === undefined) {
    throw invalid('"azp" is missing and "aud" names several audiences')
  }
  if (claims.azp !== undefined && claims.azp !== options.clientId) {
    throw invalid('"azp" is another client')
  }
  if (options.nonce !== undefined && claims.nonce !== options.nonce) {
    throw invalid('"nonce" does not match the authorization request')
  }
  return claims
}
