import { compactVerify, decodeJwt, importJWK, importSPKI, importX509 } from 'jose'
import { isLoopback, LOGIN_AUDIENCES } from './hosts.js'
import type { RequestContext } from './request-context.js'
import { siteUrl } from './request-context.js'
import { loginRateExceeded, oauthError, tokenJson } from './responses.js'
import type { EmulatorState } from './state.js'
import { accessScope, issueTokens } from './token-response.js'
import type { ConnectedApp } from './types.js'

/** The JWT bearer grant type. */
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

/** Clock skew tolerated on `exp`. */
const SKEW_SECONDS = 30

/** The documented ceiling on `exp`, enforced only in strict mode since Salesforce accepts more. */
const STRICT_LIFETIME_SECONDS = 180

/**
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`: an RS256 assertion signed with the key
 * of the app's certificate, iss = client id, sub = username, aud = a login host, an Experience Cloud site URL or the loopback server,
 * exp in the future (a number or a numeric string). No refresh token.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
export async function answerJwtBearer(
  ctx: RequestContext,
  state: EmulatorState,
  params: URLSearchParams,
): Promise<Response> {
  const assertion = params.get('assertion') ?? ''
  const invalidAssertion = () => oauthError('invalid_grant', 'invalid assertion')
  let claims: Record<string, unknown>
  try {
    claims = decodeJwt(assertion)
  } catch {
    return invalidAssertion()
  }
  const app = typeof claims.iss === 'string' ? state.apps.get(claims.iss) : undefined
  if (!app) return oauthError('invalid_client_id', 'client identifier invalid')
  if (!(await signatureValid(assertion, app))) return invalidAssertion()

  const audiences = [...LOGIN_AUDIENCES, ...ownAudiences(ctx)]
  const sent = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
  const audienceOk = sent.some(
    (aud) => typeof aud === 'string' && audiences.includes(aud.replace(/\/+$/, '')),
  )
  if (!audienceOk) return oauthError('invalid_grant', 'audience is invalid')

  const exp = numericDate(claims.exp)
  if (exp === undefined) return invalidAssertion()
  const now = state.now() / 1000
  if (now > exp + SKEW_SECONDS) return oauthError('invalid_grant', 'expired authorization code')
  if (state.strictJwtLifetime && exp - now > STRICT_LIFETIME_SECONDS) return invalidAssertion()

  const user = state.findUser(typeof claims.sub === 'string' ? claims.sub : undefined)
  if (!user || !preApproved(app, user.username)) {
    return oauthError('invalid_grant', "user hasn't approved this consumer")
  }
  if (!state.recordLogin(user)) return loginRateExceeded()
  return tokenJson(await issueTokens({ ctx, state, app, user, scope: accessScope(app) }))
}

/**
 * Audiences besides the login hosts: an Experience Cloud site's own URL (the request came through
 * a site path prefix), and the loopback server's URL, which stands for a login host. A My Domain
 * URL is not one: Salesforce's documentation lists only the login, test and site URLs.
 */
function ownAudiences(ctx: RequestContext): string[] {
  const audiences: string[] = []
  if (ctx.prefix !== '') audiences.push(siteUrl(ctx))
  if (isLoopback(ctx.url.hostname)) audiences.push(ctx.url.origin)
  return audiences
}

/** `exp` as seconds; Salesforce's own example sends it as a JSON string. */
function numericDate(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

function preApproved(app: ConnectedApp, username: string): boolean {
  const approved = app.preApprovedUsers ?? 'all'
  return approved === 'all' || approved.some((u) => u.toLowerCase() === username.toLowerCase())
}

async function signatureValid(assertion: string, app: ConnectedApp): Promise<boolean> {
  for (const load of verificationKeys(app)) {
    try {
      await compactVerify(assertion, await load(), { algorithms: ['RS256'] })
      return true
    } catch {
      // A key that fails to load or verify just means the next one gets its chance.
    }
  }
  return false
}

function verificationKeys(app: ConnectedApp): Array<() => Promise<CryptoKey | Uint8Array>> {
  const keys: Array<() => Promise<CryptoKey | Uint8Array>> = []
  const { certificate, publicKey } = app
  if (certificate) keys.push(() => importX509(certificate, 'RS256'))
  if (typeof publicKey === 'string') keys.push(() => importSPKI(publicKey, 'RS256'))
  else if (publicKey) keys.push(() => importJWK({ ...publicKey, alg: 'RS256' }, 'RS256'))
  return keys
}
