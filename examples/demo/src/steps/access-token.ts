import { Connection } from '@sfauth/core'
import { session } from '@sfauth/session'
import { outcomeOf, type Step } from '../step.js'

/** Seed “Access Token”: an access token and instance URL saved from an earlier login. */
export const accessTokenStep: Step = {
  id: 'access-token',
  title: 'access token reuse',
  needs: ['oauth2-password'],
  unavailable: (_target, state) =>
    sourceOf(state) ? undefined : 'needs a session from an OAuth flow',
  async run(_target, state) {
    const source = sourceOf(state)!
    const conn = new Connection({
      instanceUrl: source.instanceUrl,
      accessToken: source.accessToken,
      flows: [session()],
    })
    await conn.identity()
    state.accessToken = conn
    return outcomeOf(
      '@sfauth/session',
      conn,
      'new Connection({ instanceUrl, accessToken }), identity() named its user',
    )
  },
}

function sourceOf(state: Parameters<Step['unavailable']>[1]) {
  return state.password ?? state.jwt ?? state.clientCredentials
}
