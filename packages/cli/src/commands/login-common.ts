import type { Connection } from '@sfauth/core'
import { session } from '@sfauth/session'
import type { Io } from '../io.js'
import { type CliStore, checkAlias, type LoginRecord, sessionKey } from '../store.js'

/** Where a login saves its session before it knows the alias it will be stored under. */
const PENDING = 'pending'

/**
 * The session flow a login saves through. With `--alias` the session goes straight to its place;
 * without one the alias is the username, known only after the login, so it is saved under a
 * pending key and moved by {@link finishLogin}.
 */
export function savedSession(store: CliStore, alias: string | undefined, pendingId: string) {
  return session({
    store: store.storage,
    key: alias ? sessionKey(checkAlias(alias)) : sessionKey(`${PENDING}-${pendingId}`),
  })
}

/**
 * After a successful login: asks the org whose session it is, stores how to renew it under the
 * alias (given, or the username), makes it the default, and prints the outcome. Nothing printed
 * holds a token or a secret.
 */
export async function finishLogin(
  io: Io,
  store: CliStore,
  conn: Connection,
  alias: string | undefined,
  pendingId: string,
  record: Omit<LoginRecord, 'v' | 'alias' | 'instanceUrl' | 'savedAt' | 'username' | 'orgId'> & {
    username?: string
  },
): Promise<void> {
  const identity = (await conn.identity().catch(() => undefined)) as
    | { preferred_username?: string; username?: string; organization_id?: string }
    | undefined
  const username = identity?.preferred_username ?? identity?.username ?? record.username
  const name = alias ?? checkAlias(username ?? 'default')
  if (!alias) {
    const pending = sessionKey(`${PENDING}-${pendingId}`)
    const saved = await store.storage.getItem(pending)
    if (saved) await store.storage.setItem(sessionKey(name), saved as never)
    await store.storage.removeItem(pending)
  }
  const full: LoginRecord = {
    v: 1,
    ...record,
    alias: name,
    instanceUrl: conn.instanceUrl ?? record.loginUrl,
    ...(username ? { username } : {}),
    ...((identity?.organization_id ?? conn.userInfo?.organizationId)
      ? { orgId: identity?.organization_id ?? conn.userInfo?.organizationId }
      : {}),
    savedAt: new Date().toISOString(),
  }
  await store.saveLogin(full)
  await store.setDefaultAlias(name)
  io.result(
    {
      alias: name,
      username: full.username ?? null,
      orgId: full.orgId ?? null,
      instanceUrl: full.instanceUrl,
      flow: full.flow,
    },
    `Logged in as ${full.username ?? 'the app user'} on ${full.instanceUrl} (${full.flow}), stored as "${name}".\nGet a token with: sfauth token --alias ${name}`,
  )
}

/** A random id for the pending key, so two logins at once do not share it. */
export function pendingId(): string {
  return Math.random().toString(36).slice(2, 10)
}
