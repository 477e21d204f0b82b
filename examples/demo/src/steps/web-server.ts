import { Connection, maskToken } from '@sfauth/core'
import { OAuth2, parseAuthorizationCallback } from '@sfauth/oauth2'
import { outcomeOf, queryOwnUser, type Step } from '../step.js'

/**
 * Seeds “Authorization Request” and “Access Token Request”: the authorization URL (with PKCE and
 * a random state), the user's consent, and the code exchange.
 */
export const webServerStep: Step = {
  id: 'web-server',
  title: 'web server + PKCE',
  unavailable: (target) =>
    target.webClient ? undefined : 'set SF_CLIENT_ID and SF_REDIRECT_URI (and SF_CLIENT_SECRET)',
  async run(target, state, log) {
    const oauth2 = new OAuth2({ ...target.webClient!, loginUrl: target.loginUrl })
    const request = await oauth2.createAuthorizationRequest({ scope: 'api id web refresh_token' })
    const callbackUrl = await target.consent(request.url, log)
    const { code } = parseAuthorizationCallback(callbackUrl, { state: request.state })
    const conn = new Connection({ oauth2 })
    const userInfo = await conn.authorize(code, { code_verifier: request.codeVerifier })
    if (!conn.refreshToken) {
      throw new Error('no refresh token came back: give the connected app the refresh_token scope')
    }
    await queryOwnUser(conn, userInfo.id)
    state.web = { conn, oauth2 }
    return outcomeOf(
      '@sfauth/oauth2',
      conn,
      `consent over HTTP, code exchanged with its PKCE verifier; refresh token ${maskToken(conn.refreshToken)}`,
    )
  },
}
