import { Connection } from '@sfauth/core'
import { check, equal, rejectsWith } from './check.js'
import type { Control } from './control.js'
import type { SuiteConfig } from './protocol.js'
import type { Steps } from './steps.js'

/** What every flow case gets. */
export interface CaseContext {
  config: SuiteConfig
  control: Control
  steps: Steps
}

interface UserRecord {
  Id: string
  Username: string
}

/**
 * An authenticated REST call whose answer depends on whose session it is: the emulator answers
 * any query with the session's own User record.
 */
export async function queryMe(conn: Connection, username: string): Promise<UserRecord> {
  const result = await conn.request<{ records: UserRecord[] }>(
    `query?q=${encodeURIComponent('SELECT Id, Username FROM User LIMIT 1')}`,
  )
  const record = result.records[0]
  check(record, 'the query returned no User record')
  equal(record.Username, username, 'queried Username')
  return record
}

/** Fails unless Salesforce refuses `accessToken` (checked through a connection that cannot renew). */
export async function assertDead(instanceUrl: string, accessToken: string, what: string) {
  const bare = new Connection({ instanceUrl, accessToken })
  const err = await rejectsWith(bare.request(''), 'INVALID_SESSION_ID', what)
  equal(err.status, 401, `${what}: status`)
}

/** An emulator endpoint (and grant type) whose calls a step must make exactly once. */
export type ServerCall = readonly [endpoint: string, grantType?: string]

/** What a case tells the shared lifecycle about its flow. */
export interface LifecycleHooks {
  /** The one call a renewal makes (a token grant, a SOAP login). */
  renewal: ServerCall
  /** The one call a logout makes (revoke, SOAP logout). */
  logout: ServerCall
  /** After the renewing request, with the `res` of the single `'refresh'` event. */
  afterRenew?(conn: Connection, res: unknown): Promise<void> | void
  /** After logout, with the session that was logged out. */
  afterLogout?(session: { accessToken: string; refreshToken: string | undefined }): Promise<void>
}

/**
 * The smoke test every renewing flow goes through: log in, call the API, have the emulator expire
 * every session, call again twice at once (one renewal on the server, one `'refresh'` event, a new
 * token), do the same through `conn.fetch` next to `request()`, log out (one server call; the token is dead on the server and gone locally).
 */
export async function lifecycle(
  { config, control, steps }: CaseContext,
  login: () => Promise<Connection>,
  hooks: LifecycleHooks,
): Promise<void> {
  const calls = (call: ServerCall) => control.count(call[0], call[1])
  const once = async (call: ServerCall, before: number, what: string) =>
    equal((await calls(call)) - before, 1, `${call.filter(Boolean).join(' ')} calls for ${what}`)
  const { username } = config.user
  const conn = await steps.step('login', async () => {
    const conn = await login()
    check(conn.accessToken, 'no access token after login')
    check(conn.userInfo?.organizationId.startsWith('00D'), 'no organization id after login')
    equal(conn.instanceUrl, config.loginUrl, 'instanceUrl')
    return conn
  })

  await steps.step('request', () => queryMe(conn, username))

  const expired = conn.accessToken as string
  await steps.step('expire', async () => {
    await control.expireSessions()
    await assertDead(config.loginUrl, expired, 'the expired token')
  })

  await steps.step('renew', async () => {
    const events: { accessToken: string; res: unknown }[] = []
    conn.on('refresh', (accessToken, res) => events.push({ accessToken, res }))
    const before = await calls(hooks.renewal)
    await Promise.all([queryMe(conn, username), queryMe(conn, username)])
    await once(hooks.renewal, before, 'one shared renewal')
    equal(events.length, 1, "'refresh' events for two concurrent requests")
    check(conn.accessToken && conn.accessToken !== expired, 'the access token did not change')
    equal(events[0]?.accessToken, conn.accessToken, "the 'refresh' event's access token")
    await hooks.afterRenew?.(conn, events[0]?.res)
  })

  await steps.step('fetch', async () => {
    // conn.fetch: the Web fetch with the session; one renewal shared with request() callers.
    const q = `query?q=${encodeURIComponent('SELECT Id, Username FROM User LIMIT 1')}`
    const me = async () => {
      const res = await conn.fetch(q)
      equal(res.status, 200, 'conn.fetch status')
      return ((await res.json()) as { records: UserRecord[] }).records[0]?.Username
    }
    equal(await me(), username, 'conn.fetch Username')
    const stale = conn.accessToken
    await control.expireSessions()
    const before = await calls(hooks.renewal)
    const [viaFetch] = await Promise.all([me(), queryMe(conn, username)])
    equal(viaFetch, username, 'conn.fetch Username after the expiry')
    await once(hooks.renewal, before, 'one renewal shared by conn.fetch and request()')
    check(conn.accessToken !== stale, 'conn.fetch did not renew the session')
    const leak = await conn.fetch('https://example.com/steal').then(
      () => undefined,
      (err: unknown) => err,
    )
    check(leak instanceof TypeError, 'conn.fetch sent the session to another origin')
  })

  await steps.step('logout', async () => {
    const session = { accessToken: conn.accessToken as string, refreshToken: conn.refreshToken }
    const before = await calls(hooks.logout)
    await conn.logout()
    await once(hooks.logout, before, 'logout')
    equal(conn.accessToken, undefined, 'access token after logout')
    await assertDead(config.loginUrl, session.accessToken, 'the logged-out token')
    await hooks.afterLogout?.(session)
  })
}
