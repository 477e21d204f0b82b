import { LATEST_VERSION } from './api-version.js'
import { identityToken } from './form.js'
import { sameId } from './ids.js'
import type { RequestContext } from './request-context.js'
import { json, text } from './responses.js'
import type { EmulatorState, Session } from './state.js'

/**
 * The identity service answers failures with one word of plain text, not JSON.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
 */
async function authenticate(
  ctx: RequestContext,
  state: EmulatorState,
): Promise<Session | Response> {
  const token = await identityToken(ctx.request, ctx.url)
  if (!token) return text('Missing_OAuth_Token', 403)
  const session = state.useSession(token)
  if (!session || session.restricted) return text('Bad_OAuth_Token', 403)
  return session
}

/** The `urls` map; `{version}` stays a placeholder unless the caller asked for a version. */
function identityUrls(session: Session, version: string): Record<string, string> {
  const base = session.instanceUrl
  const org15 = session.user.orgId.slice(0, 15)
  const rest = `${base}/services/data/v${version}/`
  return {
    enterprise: `${base}/services/Soap/c/${version}/${org15}`,
    metadata: `${base}/services/Soap/m/${version}/${org15}`,
    partner: `${base}/services/Soap/u/${version}/${org15}`,
    rest,
    sobjects: `${rest}sobjects/`,
    search: `${rest}search/`,
    query: `${rest}query/`,
    recent: `${rest}recent/`,
    tooling_soap: `${base}/services/Soap/T/${version}/${org15}`,
    tooling_rest: `${rest}tooling/`,
    profile: `${base}/${session.user.userId}`,
    feeds: `${rest}chatter/feeds`,
    groups: `${rest}chatter/groups`,
    users: `${rest}chatter/users`,
    feed_items: `${rest}chatter/feed-items`,
    feed_elements: `${rest}chatter/feed-elements`,
    custom_domain: base,
  }
}

function requestedVersion(url: URL): string {
  const version = url.searchParams.get('version')
  if (version === 'latest') return LATEST_VERSION
  return version && /^\d+\.\d$/.test(version) ? version : '{version}'
}

function nameParts(fullName: string): { first: string; last: string } {
  const space = fullName.lastIndexOf(' ')
  return space < 0
    ? { first: '', last: fullName }
    : { first: fullName.slice(0, space), last: fullName.slice(space + 1) }
}

/**
 * `GET /services/oauth2/userinfo`: OpenID Connect claims of the session's user.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_userinfo_endpoint.htm
 */
export async function userinfoEndpoint(
  ctx: RequestContext,
  state: EmulatorState,
): Promise<Response> {
  const session = await authenticate(ctx, state)
  if (session instanceof Response) return session
  const { user } = session
  const { first, last } = nameParts(user.fullName)
  return json({
    sub: session.idUrl,
    user_id: user.userId,
    organization_id: user.orgId,
    preferred_username: user.username,
    nickname: user.username.split('@')[0],
    name: user.fullName,
    email: user.email,
    email_verified: true,
    given_name: first,
    family_name: last,
    zoneinfo: 'America/Los_Angeles',
    photos: photos(session),
    profile: `${session.instanceUrl}/${user.userId}`,
    picture: photos(session).picture,
    address: { country: 'US' },
    is_salesforce_integration_user: false,
    urls: identityUrls(session, requestedVersion(ctx.url)),
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    updated_at: '2026-01-01T00:00:00Z',
    is_app_installed: true,
  })
}

/**
 * `GET|POST /id/ORGID/USERID`: the identity URL handed out with every token. The ids must name
 * the session's own org and a user in it.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
 */
export async function identityEndpoint(
  ctx: RequestContext,
  state: EmulatorState,
  orgId: string,
  userId: string,
): Promise<Response> {
  const session = await authenticate(ctx, state)
  if (session instanceof Response) return session
  if (!sameId(orgId, session.user.orgId)) return text('Wrong_Org', 403)
  const user = [...state.users.values()].find(
    (u) => sameId(u.userId, userId) && sameId(u.orgId, orgId),
  )
  if (!user) return text('Bad_Id', 404)
  const { first, last } = nameParts(user.fullName)
  const site = session.idUrl.slice(0, session.idUrl.indexOf('/id/'))
  return json({
    id: `${site}/id/${user.orgId}/${user.userId}`,
    asserted_user: user.userId === session.user.userId,
    user_id: user.userId,
    organization_id: user.orgId,
    username: user.username,
    nick_name: user.username.split('@')[0],
    display_name: user.fullName,
    email: user.email,
    email_verified: true,
    first_name: first,
    last_name: last,
    timezone: 'America/Los_Angeles',
    photos: photos(session),
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: 'US',
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: identityUrls(session, requestedVersion(ctx.url)),
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    last_modified_date: '2026-01-01T00:00:00.000Z',
  })
}

function photos(session: Session): { picture: string; thumbnail: string } {
  const base = `${session.instanceUrl}/profilephoto/005/`
  return { picture: `${base}F`, thumbnail: `${base}T` }
}
