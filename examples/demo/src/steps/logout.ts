import { Connection, SfAuthError } from '@sfauth/core'
import { session } from '@sfauth/session'
import { type DemoState, queryOwnUser, type Step } from '../step.js'

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}

interface Live {
  conn: Connection
  kind: 'SOAP logout' | 'revocation'
}

/** One connection per live session the demo made, preferring the seed's reused ones. */
function liveSessions(state: DemoState): Live[] {
  const soap = state.sessionId ?? state.soap
  const oauth = [
    state.accessToken ?? state.password,
    state.renewed ?? state.web?.conn,
    state.jwt,
    state.clientCredentials,
  ]
  return [
    ...(soap ? [{ conn: soap, kind: 'SOAP logout' as const }] : []),
    ...oauth
      .filter((c): c is Connection => c !== undefined)
      .map((conn) => ({ conn, kind: 'revocation' as const })),
  ]
}

/**
 * Seed “Logout”: `conn.logout()` on every session the demo made (the session ID with the seed's
 * callback form), then proof from the server that each is dead.
 */
export const logoutStep: Step = {
  id: 'logout',
  title: 'logout',
  unavailable: (_target, state) =>
    liveSessions(state).length > 0 ? undefined : 'no session to log out',
  async run(_target, state) {
    const live = liveSessions(state)
    const ended = live.map(({ conn }) => ({
      instanceUrl: conn.instanceUrl!,
      token: conn.accessToken!,
    }))
    for (const { conn, kind } of live) {
      if (kind === 'SOAP logout') {
        await new Promise<void>((resolve, reject) => {
          conn.logout((err) => (err ? reject(err) : resolve()))
        })
      } else {
        await conn.logout()
      }
      if (conn.accessToken) throw new Error('logout() left the session on the connection')
    }
    for (const { instanceUrl, token } of ended) {
      const probe = new Connection({ instanceUrl, accessToken: token, flows: [session()] })
      const rejected = await queryOwnUser(probe, undefined).then(
        () => undefined,
        (err: unknown) => err,
      )
      if (!(rejected instanceof SfAuthError) || rejected.errorCode !== 'INVALID_SESSION_ID') {
        throw new Error('a logged-out session still works on the server', { cause: rejected })
      }
    }
    const soap = live.filter((l) => l.kind === 'SOAP logout').length
    const ways = [
      count(soap, 'SOAP logout', 'SOAP logouts'),
      count(live.length - soap, 'token revocation', 'token revocations'),
    ]
    return {
      flow: 'conn.logout()',
      detail: `${count(live.length, 'session', 'sessions')} ended (${ways.join(', ')}); the server now answers INVALID_SESSION_ID for each`,
    }
  },
}
