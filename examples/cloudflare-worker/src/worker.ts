import { clientCredentials } from '@sfauth/client-credentials'
import { Connection, SfAuthError } from '@sfauth/core'

/** The Worker's bindings: set them in wrangler.toml `[vars]` and with `wrangler secret put`. */
export interface Env {
  /** The org's My Domain URL, e.g. `https://acme.my.salesforce.com`. */
  SF_LOGIN_URL: string
  /** Consumer key of the connected app. */
  SF_CLIENT_ID: string
  /** Consumer secret of the connected app (a secret binding). */
  SF_CLIENT_SECRET: string
}

/** A logged-in connection and how often it renewed its token. */
interface Entry {
  conn: Connection
  refreshes: number
}

/**
 * One connection per isolate: Salesforce limits logins per user per hour, so requests reuse the
 * token, and when it expires the connection asks for a new one by itself. The pending login is
 * cached too, so requests arriving together on a cold isolate share one login.
 */
let cached: { env: Env; ready: Promise<Entry> } | undefined

function sameEnv(a: Env, b: Env): boolean {
  return (
    a.SF_LOGIN_URL === b.SF_LOGIN_URL &&
    a.SF_CLIENT_ID === b.SF_CLIENT_ID &&
    a.SF_CLIENT_SECRET === b.SF_CLIENT_SECRET
  )
}

async function login(env: Env): Promise<Entry> {
  const conn = new Connection({
    oauth2: {
      clientId: env.SF_CLIENT_ID,
      clientSecret: env.SF_CLIENT_SECRET,
      loginUrl: env.SF_LOGIN_URL,
    },
    flows: [clientCredentials()],
  })
  await conn.authorize({ grant_type: 'client_credentials' })
  const entry = { conn, refreshes: 0 }
  conn.on('refresh', () => {
    entry.refreshes += 1
  })
  return entry
}

function connect(env: Env): Promise<Entry> {
  if (cached && sameEnv(cached.env, env)) return cached.ready
  const current = { env, ready: login(env) }
  cached = current
  // A failed login is not cached: the next request tries again.
  current.ready.catch(() => {
    if (cached === current) cached = undefined
  })
  return current.ready
}

export default {
  /** Answers every request with the run-as user's record, read through the REST API. */
  async fetch(_request: Request, env: Env): Promise<Response> {
    try {
      const entry = await connect(env)
      const { conn } = entry
      const result = await conn.request<{ records: { Id: string; Username: string }[] }>(
        'query?q=SELECT+Id,Username+FROM+User+LIMIT+1',
      )
      return Response.json({
        userId: conn.userInfo?.id,
        organizationId: conn.userInfo?.organizationId,
        instanceUrl: conn.instanceUrl,
        records: result.records,
        // Read after the call, so a renewal the call triggered is counted.
        refreshes: entry.refreshes,
      })
    } catch (err) {
      // SfAuthError messages never carry the secret or a token, so they are safe to return.
      if (err instanceof SfAuthError) {
        return Response.json({ error: err.errorCode, message: err.message }, { status: 502 })
      }
      return Response.json({ error: 'ERR_WORKER', message: String(err) }, { status: 500 })
    }
  },
}
