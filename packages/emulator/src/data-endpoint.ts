import { isRetired, VERSIONS } from './api-version.js'
import { authorizationToken } from './form.js'
import { highAssuranceRefusal } from './high-assurance.js'
import type { RequestContext } from './request-context.js'
import { invalidSession, json } from './responses.js'
import { queryAnswer, sobjectRecord } from './sobjects.js'
import type { EmulatorState } from './state.js'

/**
 * `/services/data/**`: just enough of the REST API to tell a live session from a dead one —
 * every supported version (31.0 up to 66.0), the resource map, `limits`, `query`/`queryAll` of the
 * session's own User and Organization, and the User's own record under `sobjects/User/{id}`. The resource map lists only
 * what is served. A retired version (21.0–30.0) answers 410 GONE.
 *
 * @see https://help.salesforce.com/s/articleView?id=000354473&type=1
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_list.htm
 */
export async function dataEndpoint(ctx: RequestContext, state: EmulatorState): Promise<Response> {
  const session = state.useSession(authorizationToken(ctx.request))
  if (!session || session.restricted) return invalidSession()
  const refusal = highAssuranceRefusal(state, session)
  if (refusal) return refusal
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
  if (version && isRetired(version)) return gone(version)
  if (!version || !VERSIONS.includes(version)) return notFound()
  const base = `/services/data/v${version}`
  const resource = match[2] ?? ''
  if (resource === '') {
    return json({
      identity: session.idUrl,
      limits: `${base}/limits`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
    })
  }
  if (resource === '/limits') return json(limits())
  if ((resource === '/query' || resource === '/queryAll') && ctx.url.searchParams.has('q')) {
    return queryAnswer(ctx, session, state.organization, base)
  }
  const record = sobjectRecord(session, state.organization, base, resource)
  if (record) return record
  return notFound()
}

/**
 * A few of the org limits `GET /limits` reports, with Developer Edition maximums.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
 */
function limits(): Record<string, { Max: number; Remaining: number }> {
  return {
    DailyApiRequests: { Max: 15000, Remaining: 15000 },
    DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
    DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
    DataStorageMB: { Max: 5, Remaining: 5 },
    FileStorageMB: { Max: 20, Remaining: 20 },
  }
}

/** Inferred from client fixtures: Salesforce publishes no sample of a retired version's answer. */
function gone(version: string): Response {
  return json(
    [{ errorCode: 'GONE', message: `Version ${version} of the API is no longer supported` }],
    410,
  )
}

function notFound(): Response {
  return json([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], 404)
}
