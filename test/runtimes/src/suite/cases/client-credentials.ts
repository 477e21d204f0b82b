import { clientCredentials } from '@sfauth/client-credentials'
import { Connection } from '@sfauth/core'
import { type CaseContext, lifecycle } from '../lifecycle.js'

/** Client credentials flow on the loopback server (a My Domain host), renewed by a new grant. */
export async function clientCredentialsCase(ctx: CaseContext): Promise<void> {
  const { loginUrl, cc } = ctx.config
  await lifecycle(
    ctx,
    async () => {
      const conn = new Connection({ oauth2: { ...cc, loginUrl }, flows: [clientCredentials()] })
      await conn.authorize({ grant_type: 'client_credentials' })
      return conn
    },
    { renewal: ['token', 'client_credentials'], logout: ['revoke'] },
  )
}
