import type { RequestContext } from './request-context.js'
import { html, redirect } from './responses.js'
import type { EmulatorState, Session } from './state.js'
import { escapeMarkup as e } from './xml-escape.js'

/** Salesforce's UI session cookie. */
const SESSION_COOKIE = 'sid'

/** Where the browser goes without a UI session: the login page, remembering where it was going. */
function toLogin(ctx: RequestContext, startUrl: string): Response {
  return redirect(`${ctx.url.origin}/?ec=302&startURL=${encodeURIComponent(startUrl)}`)
}

/** A UI session of its own for the browser, as a bridged login starts one. */
function uiSession(state: EmulatorState, from: Session): Session {
  return state.createSession({
    user: from.user,
    ...(from.clientId ? { clientId: from.clientId } : {}),
    scope: 'web',
    instanceUrl: from.instanceUrl,
    idUrl: from.idUrl,
    ...(from.highAssurance ? { highAssurance: true } : {}),
  })
}

function withSessionCookie(ctx: RequestContext, location: string, session: Session): Response {
  const response = redirect(location)
  // Browsers refuse SameSite=None without Secure, which plain-http loopback cannot have.
  const attributes = ctx.url.protocol === 'https:' ? 'Secure; SameSite=None' : 'SameSite=Lax'
  response.headers.set(
    'Set-Cookie',
    `${SESSION_COOKIE}=${session.token}; Path=/; HttpOnly; ${attributes}`,
  )
  return response
}

/**
 * `GET /secur/frontdoor.jsp`: logs the browser in and sends it on. `otp=` (a single-use URL from
 * `/services/oauth2/singleaccess`) works once, before it expires, and is spent by the visit;
 * `sid=` (the older form, a session id in the URL) works while that session lives. Either way the
 * browser gets a UI session cookie and a redirect to `startURL` / `retURL`; a spent, expired or
 * unknown one sends it to the login page with nothing set.
 *
 * @see https://help.salesforce.com/s/articleView?id=xcloud.frontdoor_singleaccess.htm&type=5
 * @see https://help.salesforce.com/s/articleView?id=000386254&type=1
 */
export function frontdoorEndpoint(ctx: RequestContext, state: EmulatorState): Response {
  const query = ctx.url.searchParams
  const otp = query.get('otp')
  if (otp !== null) {
    const entry = state.otps.get(otp)
    state.otps.delete(otp)
    const from =
      entry && state.now() <= entry.expiresAt ? state.peekSession(entry.session.token) : undefined
    if (!entry || !from) return toLogin(ctx, entry?.startUrl ?? query.get('startURL') ?? '/')
    return withSessionCookie(ctx, entry.startUrl, uiSession(state, from))
  }
  const retUrl = query.get('retURL') ?? '/lightning/page/home'
  const from = state.peekSession(query.get('sid') ?? undefined)
  const target = retUrl.startsWith('/') && !retUrl.startsWith('//') ? retUrl : '/'
  if (!from || from.restricted) return toLogin(ctx, target)
  return withSessionCookie(ctx, target, uiSession(state, from))
}

function cookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}

/**
 * `GET /lightning/**`: a stand-in for Lightning Experience, enough to tell a logged-in browser
 * (a live `sid` cookie: a page naming the user) from one that is not (a redirect to log in).
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.lex_intro.htm
 */
export function uiEndpoint(ctx: RequestContext, state: EmulatorState): Response {
  const session = state.useSession(cookie(ctx.request, SESSION_COOKIE))
  if (!session) return toLogin(ctx, `${ctx.url.pathname}${ctx.url.search}`)
  return html(
    `<!DOCTYPE html><html lang="en"><head><title>Home | Salesforce</title></head><body><p data-user="${e(session.user.username)}">Logged in as ${e(session.user.fullName)}</p></body></html>`,
  )
}
