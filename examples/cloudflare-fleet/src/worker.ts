import { durableSession, type SfAuthSessionsNamespace } from '@sfauth/cloudflare'
import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { session } from '@sfauth/session'

// The Durable Object class that holds the shared session and its renewal lock: exported from the
// main module and bound as SFAUTH_SESSIONS in wrangler.jsonc.
export { SfAuthSessions } from '@sfauth/cloudflare'

/** The Worker's bindings: wrangler.jsonc `vars`, secrets, and the Durable Object namespace. */
export interface Env {
  /** The org's My Domain URL, e.g. `https://acme.my.salesforce.com`. */
  SF_LOGIN_URL: string
  /** Consumer key of the connected app. */
  SF_CLIENT_ID: string
  /** Consumer secret of the connected app (a secret). */
  SF_CLIENT_SECRET: string
  /**
   * A refresh token of the integration user (a secret), used once: the first renewal saves the
   * session in the Durable Object, and from then on every isolate takes it from there, rotated
   * refresh tokens included.
   */
  SF_REFRESH_TOKEN: string
  SFAUTH_SESSIONS: SfAuthSessionsNamespace
}

/** The object (and storage key) of the shared session: one per integration user. */
const KEY = 'sfauth:integration-user'

/** One Connection per isolate, how often it saw a new token (renewed here or adopted). */
let cached: { conn: Connection; refreshes: number } | undefined

function connect(env: Env) {
  if (cached) return cached
  const conn = new Connection({
    oauth2: new OAuth2({
      clientId: env.SF_CLIENT_ID,
      clientSecret: env.SF_CLIENT_SECRET,
      loginUrl: env.SF_LOGIN_URL,
    }),
    refreshToken: env.SF_REFRESH_TOKEN,
    // The store and the lock, both in the Durable Object named after KEY: one renewal per
    // expiry across every isolate; the others wait and adopt the saved session.
    flows: [session({ ...durableSession(env.SFAUTH_SESSIONS), key: KEY })],
  })
  const entry = { conn, refreshes: 0 }
  conn.on('refresh', () => {
    entry.refreshes += 1
  })
  cached = entry
  return entry
}

export default {
  /** Answers every request with the integration user's record, read through the REST API. */
  async fetch(_request: Request, env: Env): Promise<Response> {
    const entry = connect(env)
    try {
      const result = await entry.conn.request<{ records: { Id: string; Username: string }[] }>(
        'query?q=SELECT+Id,Username+FROM+User+LIMIT+1',
      )
      return Response.json({ records: result.records, refreshes: entry.refreshes })
    } catch (err) {
      const e = err as { errorCode?: string; message?: string }
      // SfAuthError messages never carry a secret or a whole token.
      return Response.json({ error: e.errorCode, message: e.message }, { status: 502 })
    }
  },
}
