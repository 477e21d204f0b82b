import { idToken } from './id-token.js'
import type { RequestContext } from './request-context.js'
import { siteUrl } from './request-context.js'
import type { EmulatorState, RefreshFamily, StoredUser } from './state.js'
import type { ConnectedApp } from './types.js'

/** Scopes that ask for a refresh token rather than for access to something. */
const REFRESH_SCOPES = new Set(['refresh_token', 'offline_access'])

export function defaultScopes(app: ConnectedApp): string[] {
  return app.scopes ?? ['api', 'web', 'refresh_token']
}

export function wantsRefreshToken(scope: string): boolean {
  return scope.split(' ').some((s) => REFRESH_SCOPES.has(s))
}

/** The scope reported by grants that never issue a refresh token. */
export function accessScope(app: ConnectedApp): string {
  return defaultScopes(app)
    .filter((s) => !REFRESH_SCOPES.has(s))
    .join(' ')
}

/**
 * Base64(HMAC-SHA256(key = client secret, message = id + issued_at)): lets a client check that
 * the identity URL came from Salesforce.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export async function tokenSignature(
  secret: string,
  id: string,
  issuedAt: string,
): Promise<string> {
  const encoder = new TextEncoder()
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(id + issuedAt)))
  return btoa(String.fromCharCode(...mac))
}

/**
 * For a grant that starts a refresh-token family (authorization code, user-agent, token exchange):
 * a new family when `scope` asks for a refresh token (`refresh_token`, `offline_access`), and the
 * option to answer with it. Spread into {@link issueTokens}' options.
 */
export function startFamily(
  state: EmulatorState,
  user: StoredUser,
  app: ConnectedApp,
  scope: string,
  highAssurance = false,
): Pick<IssueOptions, 'family' | 'includeRefreshToken' | 'highAssurance'> {
  const session = { includeRefreshToken: true, ...(highAssurance ? { highAssurance } : {}) }
  if (!wantsRefreshToken(scope)) return session
  return { family: state.createFamily(user, app.clientId, scope, highAssurance), ...session }
}

export interface IssueOptions {
  ctx: RequestContext
  state: EmulatorState
  app: ConnectedApp
  user: StoredUser
  scope: string
  family?: RefreshFamily
  /** Put `family.current` in the response. */
  includeRefreshToken?: boolean
  /** OpenID Connect nonce from the authorization request, echoed in the id_token. */
  nonce?: string
  /** A browser login's session (see `requireHighAssurance`); a refresh inherits its chain's. */
  highAssurance?: boolean
}

/**
 * Starts a session and answers with Salesforce's token response. There is no `expires_in`:
 * clients learn of expiry through a 401. An `id_token` comes with any grant whose scope includes
 * `openid`, refreshes included.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export async function issueTokens(options: IssueOptions): Promise<Record<string, string>> {
  const { ctx, state, app, user, scope, family } = options
  const id = `${siteUrl(ctx)}/id/${user.orgId}/${user.userId}`
  const session = state.createSession({
    user,
    clientId: app.clientId,
    scope,
    instanceUrl: ctx.instanceUrl,
    idUrl: id,
    ...(family ? { family } : {}),
    ...(options.highAssurance || family?.highAssurance ? { highAssurance: true } : {}),
  })
  const issuedAt = String(state.now())
  const body: Record<string, string> = { access_token: session.token }
  if (family && options.includeRefreshToken) body.refresh_token = family.current
  if (app.clientSecret) body.signature = await tokenSignature(app.clientSecret, id, issuedAt)
  body.scope = scope
  if (scope.split(' ').includes('openid')) {
    body.id_token = await idToken(state.signingKey, {
      issuer: siteUrl(ctx),
      identityUrl: id,
      clientId: app.clientId,
      accessToken: session.token,
      issuedAtMs: Number(issuedAt),
      ...(options.nonce ? { nonce: options.nonce } : {}),
    })
  }
  body.instance_url = ctx.instanceUrl
  body.id = id
  body.token_type = 'Bearer'
  body.issued_at = issuedAt
  return body
}
