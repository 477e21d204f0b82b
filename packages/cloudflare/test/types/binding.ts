// Type check only (`pnpm typecheck`): the binding an application declares with Cloudflare's own
// types, as `wrangler types` writes it, is what durableSession() and session() take.
import { session } from '@sfauth/session'
import { durableSession, type SfAuthSessions } from '../../dist/index.js'

interface Env {
  SFAUTH_SESSIONS: DurableObjectNamespace<SfAuthSessions>
}

export function flowOf(env: Env) {
  return session({ ...durableSession(env.SFAUTH_SESSIONS), key: 'sfauth:integration-user' })
}
