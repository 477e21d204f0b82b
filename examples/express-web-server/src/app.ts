import { Connection, SfAuthError } from '@sfauth/core'
import { type OAuth2, parseAuthorizationCallback } from '@sfauth/oauth2'
import express from 'express'
import { errorPage, homePage, successPage } from './pages.js'
import { PendingAuthorizations } from './sessions.js'

/** `refresh_token` so the connection can renew itself; `id` and `web` as in the jsforce docs. */
const SCOPE = 'api id web refresh_token'

/**
 * The jsforce docs' express app written with @sfauth: `/oauth2/auth` redirects to Salesforce,
 * `/oauth2/callback` exchanges the code and shows who logged in. Each browser gets its own
 * `state` and PKCE verifier, kept server-side and used once.
 */
export function createApp(oauth2: OAuth2): express.Express {
  const app = express()
  const pending = new PendingAuthorizations()
  app.disable('x-powered-by')

  app.get('/', (_req, res) => {
    res.send(homePage(oauth2.loginUrl))
  })

  app.get('/oauth2/auth', async (req, res) => {
    const { url, state, codeVerifier } = await oauth2.createAuthorizationRequest({ scope: SCOPE })
    pending.save(req, res, { state, codeVerifier })
    res.redirect(url)
  })

  app.get('/oauth2/callback', async (req, res) => {
    res.set('Cache-Control', 'no-store')
    const request = pending.take(req)
    if (!request) {
      res
        .status(400)
        .send(
          errorPage(
            'no_login_in_progress',
            'This browser has no login in progress (or it expired): start again.',
          ),
        )
      return
    }
    try {
      const { code } = parseAuthorizationCallback(req.query, { state: request.state })
      const conn = new Connection({ oauth2 })
      const userInfo = await conn.authorize(code, { code_verifier: request.codeVerifier })
      // A real app stores conn.accessToken, conn.refreshToken and conn.instanceUrl with the
      // user's session here, and listens to conn.on('refresh') to keep the rotated refresh token.
      res.send(
        successPage({
          id: userInfo.id,
          organizationId: userInfo.organizationId,
          instanceUrl: conn.instanceUrl ?? '',
        }),
      )
    } catch (err) {
      if (!(err instanceof SfAuthError)) throw err
      res
        .status(err.errorCode === 'access_denied' ? 403 : 400)
        .send(errorPage(err.errorCode, err.message))
    }
  })

  return app
}
