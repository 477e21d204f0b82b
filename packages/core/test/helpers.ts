import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import type { Flow, FlowContext, FlowResult } from '../src/flow.js'
import { callTokenEndpoint, revokeSession, tokenResult } from '../src/flow.js'

export const client = {
  clientId: DEFAULT_APP.clientId,
  clientSecret: DEFAULT_APP.clientSecret as string,
}
export const username = DEFAULT_USER.username
/** The OAuth password grant wants the security token appended. */
export const password = `${DEFAULT_USER.password}${DEFAULT_USER.securityToken ?? ''}`

/**
 * A minimal honest flow for core's own tests: the OAuth password grant through core's shared
 * token call, renewing by logging in again, logging out by revocation. The real flows live in
 * their own packages; core must not depend on them.
 */
export function passwordFlow(): Flow {
  return {
    name: 'test-password-flow',
    grantTypes: ['password'],
    async login(ctx, user, pass) {
      const run = async (c: FlowContext): Promise<FlowResult> => {
        const secret = c.client?.clientSecret
        const res = await callTokenEndpoint(
          c,
          {
            grant_type: 'password',
            client_id: c.client?.clientId,
            client_secret: secret,
            username: user,
            password: pass,
          },
          secret ? { clientSecret: secret } : {},
        )
        return tokenResult(res, c.session)
      }
      return { ...(await run(ctx)), renewThis: run }
    },
    logout: (ctx, session) => revokeSession(ctx.http, session),
  }
}

export function newEmulator() {
  return createEmulator()
}
