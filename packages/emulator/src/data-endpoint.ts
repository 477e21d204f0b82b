import { VERSIONS } from './api-version.js'
import { authorizationToken } from './form.js'
import type { RequestContext } from './request-context.js'
import { invalidSession, json } from './responses.js'
import type { EmulatorState } from './state.js'

/**
 * `/services/data/**`: just enough of the REST API to tell a live session from a dead one —
 * versions, the resource map, and a query answered with the session's own User record.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_list.htm
 */
export async function dataEndpoint(ctx: RequestContext, state: EmulatorState): Promise<Response> {
  const session = state.useSession(authorizationToken(ctx.request))
  if (!session || session.restricted) return invalidSession()
  const rest = ctx.path.replace(/\/+$/, '')
  if (rest === '/services/data') {
    return json(
      VERSIONS.map((version) => ({
        label: `API ${version}`,
        url: `/services/data/v${version}`,
        version,
      })),
    )
  }
  const match = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(rest)
  const version = match?.[1]
  if (!version || !VERSIONS.includes(version)) return notFound()
  const base = `/services/data/v${version}`
  const resource = match[2] ?? ''
  if (resource === '') {
    return json({
      identity: session.idUrl,
      limits: `${base}/limits`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      search: `${base}/search`,
      sobjects: `${base}/sobjects`,
      tooling: `${base}/tooling`,
    })
  }
  if (resource === '/query' && ctx.url.searchParams.has('q')) {
    const { user } = session
    return json({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'User', url: `${base}/sobjects/User/${user.userId}` },
          Id: user.userId,
          Username: user.username,
          Name: user.fullName,
          Email: user.email,
        },
      ],
    })
  }
  return notFound()
}

function notFound(): Response {
  return json([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], 404)
}
