import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { verifyIdToken } from '@sfauth/oauth2/openid'
import { check, equal, rejectsWith } from '../check.js'
import { type CaseContext, lifecycle } from '../lifecycle.js'

/**
 * Web server flow with PKCE: the authorization request is approved by the harness (the consent
 * page's Allow button), the code is exchanged with its verifier, the session renews through the
 * rotating refresh token and logs out by revoking it. Then an `openid` request: the emulator's
 * id_token verifies against its issuer's keys (jose in this runtime), nonce included.
 */
export async function oauth2Case(ctx: CaseContext): Promise<void> {
  const { loginUrl, web } = ctx.config
  const oauth2 = new OAuth2({ ...web, loginUrl })
  let firstRefreshToken: string | undefined
  await lifecycle(
    ctx,
    async () => {
      const conn = new Connection({ oauth2 })
      const request = await oauth2.createAuthorizationRequest({ scope: 'api refresh_token' })
      check(new URL(request.url).searchParams.get('code_challenge_method') === 'S256', 'not S256')
      const code = await ctx.control.approve(request.url)
      await conn.authorize(code, { code_verifier: request.codeVerifier })
      firstRefreshToken = conn.refreshToken
      check(firstRefreshToken, 'no refresh token after the code exchange')
      return conn
    },
    {
      renewal: ['token', 'refresh_token'],
      logout: ['revoke'],
      afterRenew(conn, res) {
        const rotated = (res as { refresh_token?: string } | undefined)?.refresh_token
        check(rotated && rotated !== firstRefreshToken, 'the emulator rotated no refresh token')
        equal(conn.refreshToken, rotated, 'refresh token kept after rotation')
      },
      async afterLogout({ refreshToken }) {
        check(refreshToken, 'no refresh token to check')
        await rejectsWith(
          oauth2.refreshToken(refreshToken),
          'invalid_grant',
          'the revoked refresh token',
        )
      },
    },
  )
  await ctx.steps.step('id_token', async () => {
    const request = await oauth2.createAuthorizationRequest({ scope: 'openid api' })
    check(request.nonce, 'no nonce for an openid request')
    const tokens = await oauth2.requestToken(await ctx.control.approve(request.url), {
      code_verifier: request.codeVerifier,
    })
    check(tokens.id_token, 'no id_token for the openid scope')
    // The emulator's issuer is its loopback URL: trusted only when named.
    const claims = await verifyIdToken(tokens.id_token as string, {
      clientId: oauth2.clientId,
      nonce: request.nonce as string,
      issuer: loginUrl,
    })
    equal(claims.nonce, request.nonce, 'id_token nonce')
    await rejectsWith(
      verifyIdToken(tokens.id_token as string, { clientId: 'another-client', issuer: loginUrl }),
      'ERR_ID_TOKEN_INVALID',
      'an id_token for another client',
    )
    await rejectsWith(
      verifyIdToken(tokens.id_token as string, { clientId: oauth2.clientId }),
      'ERR_ID_TOKEN_INVALID',
      'a loopback issuer not named with { issuer }',
    )
  })
}
