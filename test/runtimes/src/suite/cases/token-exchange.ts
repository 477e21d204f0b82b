import { Connection } from '@sfauth/core'
import { TOKEN_EXCHANGE_GRANT_TYPE, tokenExchange } from '@sfauth/token-exchange'
import { equal } from '../check.js'
import { type CaseContext, lifecycle } from '../lifecycle.js'

/**
 * Token exchange with an app that does not require its secret (the client ID alone, as a browser
 * app sends it): a subject token the harness's handler maps to the user, from a function that a
 * renewal calls again.
 */
export async function tokenExchangeCase(ctx: CaseContext): Promise<void> {
  const { loginUrl, tx } = ctx.config
  let asked = 0
  await lifecycle(
    ctx,
    async () => {
      const flow = tokenExchange({
        subjectToken: async () => {
          asked += 1
          return tx.subjectToken
        },
        subjectTokenType: tx.subjectTokenType,
        tokenHandler: tx.tokenHandler,
      })
      const conn = new Connection({ loginUrl, oauth2: { clientId: tx.clientId }, flows: [flow] })
      await conn.authorize({ grant_type: TOKEN_EXCHANGE_GRANT_TYPE })
      equal(asked, 1, 'subject tokens asked for at login')
      return conn
    },
    {
      renewal: ['token', TOKEN_EXCHANGE_GRANT_TYPE],
      logout: ['revoke'],
      afterRenew: () => equal(asked, 2, 'subject tokens asked for after one renewal'),
    },
  )
}
