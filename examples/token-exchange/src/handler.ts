import type { TokenExchangeHandler } from '@sfauth/emulator'
import { createRemoteJWKSet, jwtVerify } from 'jose'

/** What the handler trusts and how it finds the Salesforce user. */
export interface HandlerOptions {
  /** The handler's developer name (`token_handler`). */
  name: string
  /** The issuer whose id_tokens it accepts (`iss`), and its JWKS URL. */
  issuer: string
  jwksUri: string
  /** The client ID the id_tokens must be issued to (`aud`). */
  audience: string
  /** Salesforce username for an identity provider user (`sub`, else `email`). */
  users: Record<string, string>
}

/**
 * The emulator's stand-in for the Apex token exchange handler an admin sets up
 * (`Auth.Oauth2TokenExchangeHandler`): it verifies the id_token's signature against the
 * issuer's JWKS, its issuer, audience and expiry, then maps `sub` (or `email`) to a user.
 * Any failure rejects the subject token, which Salesforce answers with `invalid_grant`.
 */
export function idTokenHandler(options: HandlerOptions): TokenExchangeHandler {
  const keys = createRemoteJWKSet(new URL(options.jwksUri))
  return {
    name: options.name,
    isDefault: true,
    subjectTokenTypes: ['urn:ietf:params:oauth:token-type:id_token'],
    async resolve(idToken) {
      const { payload } = await jwtVerify(idToken, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['RS256'],
      })
      const email = typeof payload.email === 'string' ? payload.email : undefined
      return (payload.sub && options.users[payload.sub]) || (email && options.users[email])
    },
  }
}
