import { Connection, type UserInfo } from '@sfauth/core'
import { TOKEN_EXCHANGE_GRANT_TYPE, tokenExchange } from '@sfauth/token-exchange'

/** The connected app, the org's handler, and where the id_token comes from. */
export interface ExchangeOptions {
  /** Your My Domain URL (or the emulator's URL). */
  loginUrl: string
  clientId: string
  /** Only when the connected app requires it. */
  clientSecret?: string
  /** The token exchange handler's developer name; default the org's default handler. */
  tokenHandler?: string
  /** Returns a fresh id_token from the other identity provider; called again at every renewal. */
  idToken: () => Promise<string>
}

/** What the example shows: who the exchanged session belongs to, and a REST call with it. */
export interface ExchangeResult {
  conn: Connection
  userInfo: UserInfo
  /** `SELECT Id, Username FROM User WHERE Id = '<the user>'` through the REST API. */
  me: { Id: string; Username?: string } | undefined
}

/**
 * Exchanges the other identity provider's id_token for a Salesforce session of the same user,
 * then calls the REST API with it.
 */
export async function exchangeIdToken(options: ExchangeOptions): Promise<ExchangeResult> {
  const { loginUrl, clientId, clientSecret, tokenHandler, idToken } = options
  const conn = new Connection({
    loginUrl,
    oauth2: { clientId, ...(clientSecret ? { clientSecret } : {}) },
    flows: [
      tokenExchange({
        subjectToken: idToken,
        subjectTokenType: 'urn:ietf:params:oauth:token-type:id_token',
        ...(tokenHandler ? { tokenHandler } : {}),
      }),
    ],
  })
  const userInfo = await conn.authorize({ grant_type: TOKEN_EXCHANGE_GRANT_TYPE })
  const soql = `SELECT Id, Username FROM User WHERE Id = '${userInfo.id}'`
  const result = await conn.request<{ records: { Id: string; Username?: string }[] }>(
    `query?q=${encodeURIComponent(soql)}`,
  )
  return { conn, userInfo, me: result.records[0] }
}
