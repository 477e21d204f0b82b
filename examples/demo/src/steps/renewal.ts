import { createHash } from 'node:crypto'
import { Connection } from '@sfauth/core'
import { queryOwnUser, type Step } from '../step.js'

const CONCURRENT_REQUESTS = 3

/** Tells two refresh tokens apart without showing either: a short hash, like an SSH key's. */
function fingerprint(token: string | undefined): string {
  return `#${createHash('sha256')
    .update(token ?? '')
    .digest('hex')
    .slice(0, 8)}`
}

/**
 * Seed “Access Token with Refresh Token”: the web server flow's tokens in a new connection, the
 * access token made invalid on the server, and several requests at once. The connection renews
 * once, fires 'refresh' with the response (and its rotated refresh token), and retries.
 */
export const renewalStep: Step = {
  id: 'renewal',
  title: 'expiry + renewal',
  needs: ['web-server'],
  unavailable: (_target, state) =>
    state.web ? undefined : 'needs the web server flow’s refresh token',
  async run(target, state) {
    const { conn: web, oauth2 } = state.web!
    const conn = new Connection({
      oauth2,
      instanceUrl: web.instanceUrl,
      accessToken: web.accessToken,
      refreshToken: web.refreshToken,
    })
    const before = conn.refreshToken
    let renewals = 0
    let rotated: string | undefined
    conn.on('refresh', (_accessToken, res) => {
      renewals += 1
      rotated = res.refresh_token
    })
    const callsBefore = target.tokenCalls?.('refresh_token')
    await target.expire(web.accessToken!, oauth2)
    const userId = web.userInfo?.id
    await Promise.all(Array.from({ length: CONCURRENT_REQUESTS }, () => queryOwnUser(conn, userId)))
    if (renewals !== 1) throw new Error(`expected one 'refresh' event, saw ${renewals}`)
    state.renewed = conn
    const calls =
      callsBefore === undefined ? undefined : target.tokenCalls!('refresh_token') - callsBefore
    if (calls !== undefined && calls !== 1)
      throw new Error(`expected one token request, saw ${calls}`)
    const rotation =
      rotated && rotated !== before && conn.refreshToken === rotated
        ? `refresh token rotated ${fingerprint(before)} → ${fingerprint(rotated)} and the new one kept`
        : 'refresh token not rotated by this org, kept'
    return {
      flow: '@sfauth/oauth2',
      userId: conn.userInfo?.id,
      orgId: conn.userInfo?.organizationId,
      instanceUrl: conn.instanceUrl,
      token: conn.accessToken,
      renewals,
      detail: `${CONCURRENT_REQUESTS} requests on an expired token shared 1 renewal${calls === undefined ? '' : ' (1 token request)'}, 'refresh' fired, ${rotation}`,
    }
  },
}
