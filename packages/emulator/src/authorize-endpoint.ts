import { consentPage, errorPage, loginPage } from './authorize-page.js'
import type { RequestContext } from './request-context.js'
import { html, redirect } from './responses.js'
import type { EmulatorState, StoredUser } from './state.js'
import { defaultScopes, issueTokens, startFamily } from './token-response.js'
import type { ApproveParams, ConnectedApp } from './types.js'

const CHALLENGE_METHODS = new Set(['S256', 'plain'])

/** The refusal of an authorization request without PKCE by an app that requires it. */
const MISSING_CHALLENGE = 'missing required code challenge'

/**
 * Issues an authorization code, as the consent page's Allow button does. The code is single use,
 * lives about 15 minutes and is bound to the client and redirect URI. PKCE defaults to S256
 * because jsforce sends a challenge without a method.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export function approve(state: EmulatorState, params: ApproveParams): string {
  const app = state.apps.get(params.clientId)
  if (!app) throw new TypeError(`Unknown client id: ${params.clientId}`)
  if (!app.redirectUris?.includes(params.redirectUri)) {
    throw new TypeError(`Redirect URI not registered for ${params.clientId}: ${params.redirectUri}`)
  }
  const user = state.findUser(params.username)
  if (!user) throw new TypeError(`Unknown user: ${params.username}`)
  if (app.requirePkce && !params.codeChallenge) {
    throw new TypeError(`${params.clientId} requires PKCE: pass codeChallenge`)
  }
  const method = params.codeChallengeMethod ?? 'S256'
  if (!CHALLENGE_METHODS.has(method)) {
    throw new TypeError(`Unsupported code_challenge_method: ${method}`)
  }
  return state.issueCode({
    clientId: app.clientId,
    redirectUri: params.redirectUri,
    user,
    scope: params.scope ?? defaultScopes(app).join(' '),
    codeChallengeMethod: method,
    ...(params.codeChallenge ? { codeChallenge: params.codeChallenge } : {}),
    ...(params.nonce ? { nonce: params.nonce } : {}),
  })
}

/** Adds parameters to a redirect URI's query (or fragment, for the user-agent flow). */
function withParams(uri: string, params: Record<string, string>, fragment = false): string {
  const url = new URL(uri)
  if (fragment) {
    url.hash = new URLSearchParams(params).toString()
  } else {
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  }
  return url.toString()
}

/**
 * `GET|POST /services/oauth2/authorize`: the web server (`response_type=code`) and user-agent
 * (`response_type=token`) flows. GET shows the login form; the forms post back here with an
 * `action` of `login`, `allow` or `deny`. Between login and consent the user is carried by an
 * opaque single-use ticket in a hidden field, so a plain HTTP client without cookies can drive it.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_user_agent_flow.htm
 */
export async function authorizeEndpoint(
  ctx: RequestContext,
  state: EmulatorState,
  params: URLSearchParams,
): Promise<Response> {
  const clientId = params.get('client_id') ?? ''
  const app = state.apps.get(clientId)
  if (!app) return html(errorPage('invalid_client_id', 'client identifier invalid'), 400)
  const redirectUri = params.get('redirect_uri') ?? ''
  if (!app.redirectUris?.includes(redirectUri)) {
    return html(errorPage('redirect_uri_mismatch', 'redirect_uri must match configuration'), 400)
  }
  const stateParam = params.get('state')
  const withState = (extra: Record<string, string>) =>
    stateParam === null ? extra : { ...extra, state: stateParam }
  const responseType = params.get('response_type')
  const fragment = responseType === 'token'
  const fail = (error: string, description: string) =>
    redirect(
      withParams(redirectUri, withState({ error, error_description: description }), fragment),
    )
  if (responseType !== 'code' && responseType !== 'token') {
    return fail('unsupported_response_type', 'response type not supported')
  }
  const method = params.get('code_challenge_method') ?? 'S256'
  if (params.get('code_challenge') && !CHALLENGE_METHODS.has(method)) {
    return fail('invalid_request', 'invalid code_challenge_method')
  }
  if (app.requirePkce && responseType === 'code' && !params.get('code_challenge')) {
    return fail('invalid_request', MISSING_CHALLENGE)
  }

  const formAction = `${ctx.prefix}/services/oauth2/authorize`
  const action = ctx.request.method === 'POST' ? params.get('action') : null
  if (action === 'login') {
    const user = state.findUser(params.get('username') ?? undefined)
    // The browser login page takes the password alone; the security token is for API logins.
    if (!user || user.password !== params.get('password')) {
      return html(
        loginPage(
          formAction,
          params,
          `Please check your username and password. If you still can\u2019t log in, contact your Salesforce administrator.`,
        ),
      )
    }
    if (!state.recordLogin(user)) {
      return html(loginPage(formAction, params, 'Login Rate Exceeded. Try again later.'))
    }
    const ticket = state.issueTicket(user, app.clientId)
    return html(consentPage(formAction, params, ticket, appLabel(app), user.username))
  }
  if (action === 'allow' || action === 'deny') {
    const ticket = state.tickets.get(params.get('ticket') ?? '')
    state.tickets.delete(params.get('ticket') ?? '')
    if (!ticket || ticket.clientId !== app.clientId || state.now() > ticket.expiresAt) {
      return html(loginPage(formAction, params, 'Your session has expired. Please log in again.'))
    }
    if (action === 'deny') return fail('access_denied', 'end-user denied authorization')
    if (fragment) return redirect(await implicitRedirect(ctx, state, app, ticket.user, params))
    const code = approve(state, {
      clientId: app.clientId,
      username: ticket.user.username,
      redirectUri,
      ...optional('scope', params.get('scope')),
      ...optional('codeChallenge', params.get('code_challenge')),
      ...optional('codeChallengeMethod', params.get('code_challenge_method')),
      ...optional('nonce', params.get('nonce')),
    })
    return redirect(withParams(redirectUri, withState({ code })))
  }
  return html(loginPage(formAction, params))
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {}
}

function appLabel(app: ConnectedApp): string {
  return app.clientId.length > 24 ? `${app.clientId.slice(0, 24)}\u2026` : app.clientId
}

/** The user-agent flow puts the whole token response in the redirect URI's fragment. */
async function implicitRedirect(
  ctx: RequestContext,
  state: EmulatorState,
  app: ConnectedApp,
  user: StoredUser,
  params: URLSearchParams,
): Promise<string> {
  const scope = params.get('scope') ?? defaultScopes(app).join(' ')
  const tokens = await issueTokens({
    ctx,
    state,
    app,
    user,
    scope,
    ...startFamily(state, user, app, scope, true),
    ...optional('nonce', params.get('nonce')),
  })
  const stateParam = params.get('state')
  return withParams(
    params.get('redirect_uri') ?? '',
    stateParam === null ? tokens : { ...tokens, state: stateParam },
    true,
  )
}
