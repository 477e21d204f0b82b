import { Connection, DEFAULT_VERSION } from '@sfauth/core'
import { type StoredSession, session } from '@sfauth/session'
import { check, equal, rejectsWith } from '../check.js'
import { assertDead, type CaseContext, queryMe } from '../lifecycle.js'
import type { SuiteConfig } from '../protocol.js'

interface Minted {
  accessToken: string
  instanceUrl: string
  organizationId: string
}

/**
 * A session made elsewhere: a bare OAuth password grant sent with plain `fetch`, the way another
 * app or a Visualforce page would have obtained the token that `session()` is then given.
 */
async function mintSession({ loginUrl, web, user }: SuiteConfig): Promise<Minted> {
  const res = await fetch(`${loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: web.clientId,
      client_secret: web.clientSecret,
      username: user.username,
      password: user.password + user.securityToken,
    }),
  })
  const body = (await res.json()) as { access_token: string; instance_url: string; id: string }
  check(res.ok, `minting a session failed: ${res.status} ${JSON.stringify(body)}`)
  const organizationId = new URL(body.id).pathname.split('/')[2] ?? ''
  return { accessToken: body.access_token, instanceUrl: body.instance_url, organizationId }
}

/** An in-memory store with the getItem/setItem/removeItem shape `session({ store })` takes. */
function memoryStore() {
  const items = new Map<string, StoredSession>()
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: StoredSession) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  }
}

/**
 * `session()`: adopt an access token and save it, restore it in a second connection, see that an
 * expired session cannot be renewed by `session()` alone (a single `INVALID_SESSION_ID`, no loop),
 * adopt a fresh session ID SOAP-style, and log out both kinds (SOAP logout, token revocation).
 */
export async function sessionCase({ config, control, steps }: CaseContext): Promise<void> {
  const { username } = config.user
  const store = memoryStore()
  const first = await mintSession(config)

  await steps.step('login', async () => {
    const conn = new Connection({
      instanceUrl: first.instanceUrl,
      accessToken: first.accessToken,
      flows: [session({ store })],
    })
    const claims = await conn.identity()
    equal(claims.preferred_username, username, 'userinfo preferred_username')
    equal(conn.userInfo?.organizationId, first.organizationId, 'userInfo.organizationId')
    equal(store.items.size, 1, 'saved sessions')
  })

  const restored = new Connection({ instanceUrl: first.instanceUrl, flows: [session({ store })] })
  await steps.step('request', async () => {
    await queryMe(restored, username)
    equal(restored.accessToken, first.accessToken, 'restored access token')
  })

  await steps.step('expire', async () => {
    await control.expireSessions()
    await assertDead(config.loginUrl, first.accessToken, 'the expired token')
  })

  const fresh = await steps.step('renew', async () => {
    // session() renews nothing by design: the expired session is reported, once, not retried.
    const err = await rejectsWith(queryMe(restored, username), 'INVALID_SESSION_ID', 'expired')
    equal(err.status, 401, 'status of the unrenewable session')
    // What renews such a session is a new one from elsewhere, here a SOAP-style session ID.
    const minted = await mintSession(config)
    const serverUrl = `${minted.instanceUrl}/services/Soap/u/${DEFAULT_VERSION}/${minted.organizationId}`
    const conn = new Connection({ serverUrl, sessionId: minted.accessToken, flows: [session()] })
    await queryMe(conn, username)
    return { conn, sessionId: minted.accessToken }
  })

  await steps.step('logout', async () => {
    // A session ID ends with SOAP logout().
    await fresh.conn.logout()
    equal(fresh.conn.sessionId, undefined, 'session ID after logout')
    await assertDead(config.loginUrl, fresh.sessionId, 'the logged-out session ID')
    // An OAuth access token is revoked, and the saved copy removed.
    const minted = await mintSession(config)
    const conn = new Connection({
      instanceUrl: minted.instanceUrl,
      accessToken: minted.accessToken,
      flows: [session({ store })],
    })
    await conn.identity()
    equal(store.items.size, 1, 'saved sessions before logout')
    await conn.logout()
    equal(store.items.size, 0, 'saved sessions after logout')
    await assertDead(config.loginUrl, minted.accessToken, 'the revoked token')
  })
}
