import { durableSession, type SfAuthSessionsNamespace } from '@sfauth/cloudflare'
import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { session } from '@sfauth/session'
import { check, equal } from '../check.js'
import { type CaseContext, lifecycle, queryMe } from '../lifecycle.js'

/**
 * `session({ ...durableSession(namespace) })` in workerd: the web server flow's session saved in
 * the SfAuthSessions Durable Object, renewed under its lock (rotating refresh token), removed at
 * logout; then two connections sharing the object: the second adopts the saved session with no
 * token call, and after an expiry both together renew once. workerd only: the entry binds the
 * namespace and hands it in.
 */
export async function cloudflareCase(
  ctx: CaseContext,
  namespace: SfAuthSessionsNamespace,
): Promise<void> {
  const { loginUrl, web, user } = ctx.config
  const oauth2 = new OAuth2({ ...web, loginUrl })
  const shared = durableSession(namespace)
  const connect = (key: string) =>
    new Connection({ oauth2, flows: [session({ ...shared, key, lockTtlMs: 5_000 })] })
  const login = async (conn: Connection) => {
    const request = await oauth2.createAuthorizationRequest({ scope: 'api refresh_token' })
    await conn.authorize(await ctx.control.approve(request.url), {
      code_verifier: request.codeVerifier,
    })
    return conn
  }
  const saved = async (key: string) =>
    (await shared.store.getItem(key)) as { accessToken?: string } | null

  const key = `sfauth:runtime:${crypto.randomUUID()}`
  await lifecycle(ctx, () => login(connect(key)), {
    renewal: ['token', 'refresh_token'],
    logout: ['revoke'],
    async afterRenew(conn) {
      equal((await saved(key))?.accessToken, conn.accessToken, 'the session the object holds')
    },
    async afterLogout() {
      equal(await saved(key), null, 'the session the object holds after logout')
    },
  })

  await ctx.steps.step('shared', async () => {
    const key = `sfauth:runtime:${crypto.randomUUID()}`
    const first = await login(connect(key))
    const second = connect(key)
    const before = await ctx.control.count('token', 'refresh_token')
    await queryMe(second, user.username)
    equal(second.accessToken, first.accessToken, 'the session the second connection adopted')
    await ctx.control.expireSessions()
    await Promise.all([queryMe(first, user.username), queryMe(second, user.username)])
    equal(
      (await ctx.control.count('token', 'refresh_token')) - before,
      1,
      'refresh calls for two connections on one object',
    )
    check(first.accessToken === second.accessToken, 'the connections ended on different sessions')
    await first.logout()
  })
}
