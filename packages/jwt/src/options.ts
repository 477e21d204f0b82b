import type { PrivateKeyInput } from './import-private-key.js'

/**
 * Options of `jwtBearer()`: what signing needs. Without them the flow only posts assertions the
 * caller signed.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 * @example
 * ```ts
 * const options: JwtBearerOptions = {
 *   clientId: '3MVG9...',
 *   username: 'integration@acme.com',
 *   privateKey: await readFile('server.key', 'utf8'),
 * }
 * new Connection({ flows: [jwtBearer(options)] })
 * ```
 */
export interface JwtBearerOptions {
  /** The connected app's consumer key (`iss`). Default: the connection's `oauth2.clientId`. */
  clientId?: string
  /** The username to log in as (`sub`). */
  username?: string
  /** The private key whose certificate is uploaded to the connected app. */
  privateKey?: PrivateKeyInput
  /**
   * `aud` of signed assertions. Default: derived from the connection's login URL
   * (`https://login.salesforce.com`, `https://test.salesforce.com` for sandboxes, the site URL
   * for Experience Cloud).
   */
  audience?: string
  /** Seconds from signing until the assertion's `exp`. Default 180 (Salesforce's three minutes). */
  expiresIn?: number
}

/** Salesforce's documented lifetime of an assertion: three minutes. */
export const DEFAULT_EXPIRES_IN = 180

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value)
    return true
  } catch {
    return false
  }
}

/** Throws a `TypeError` for options of the wrong type; the key itself is checked when imported. */
export function checkOptions(options: JwtBearerOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      'jwtBearer() takes { clientId?, username?, privateKey?, audience?, expiresIn? }',
    )
  }
  const { clientId, username, privateKey, audience, expiresIn } = options
  for (const [name, value] of [
    ['clientId', clientId],
    ['username', username],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new TypeError(`jwtBearer(): ${name} must be a non-empty string`)
    }
  }
  if (
    privateKey !== undefined &&
    typeof privateKey !== 'string' &&
    (typeof privateKey !== 'object' || privateKey === null)
  ) {
    throw new TypeError(
      'jwtBearer(): privateKey must be a PEM string (PKCS#8 or PKCS#1), a JWK object or a CryptoKey',
    )
  }
  if (audience !== undefined) {
    if (typeof audience !== 'string' || !isAbsoluteUrl(audience)) {
      throw new TypeError(
        'jwtBearer(): audience must be an absolute URL such as https://login.salesforce.com',
      )
    }
  }
  if (expiresIn !== undefined && !(Number.isInteger(expiresIn) && expiresIn > 0)) {
    throw new TypeError('jwtBearer(): expiresIn must be a positive whole number of seconds')
  }
}
