// Entry for workerd: I/O is only allowed inside a request, so the suite runs when the harness
// dispatches one, and the report is also the response. It also exports the Durable Object class
// of @sfauth/cloudflare and runs that package's case on the namespace bound to it.
import type { SfAuthSessionsNamespace } from '@sfauth/cloudflare'
import { cloudflareCase } from '../suite/cases/cloudflare.js'
import { runSuite } from '../suite/index.js'

export { SfAuthSessions } from '@sfauth/cloudflare'

declare const __CONTROL_URL__: string

export default {
  async fetch(_request: Request, env: { SFAUTH_SESSIONS: SfAuthSessionsNamespace }) {
    return Response.json(
      await runSuite(__CONTROL_URL__, {
        cloudflare: (ctx) => cloudflareCase(ctx, env.SFAUTH_SESSIONS),
      }),
    )
  },
}
