import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'

/** Who signs in at the other identity provider. */
export interface IdpUser {
  sub: string
  email: string
}

/** A small OpenID Connect issuer on 127.0.0.1: the "other identity provider" of the example. */
export interface Issuer {
  /** The issuer URL (`iss`), `http://127.0.0.1:PORT`. */
  url: string
  /** Where its public keys are (`jwks_uri` of its discovery document). */
  jwksUri: string
  /** An id_token for `user`, for the client `audience`, valid for `expiresIn` (default 5 minutes). */
  idToken(user: IdpUser, audience: string, expiresIn?: string): Promise<string>
  close(): Promise<void>
}

/**
 * Starts the issuer: an RS256 key made now (it never leaves the process), its public half served
 * as a JWKS, and the discovery document pointing at it, as Okta, Auth0 or Entra ID publish theirs.
 */
export async function startIssuer(): Promise<Issuer> {
  const kid = randomUUID()
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] }

  let url = ''
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', url).pathname
    const body =
      path === '/.well-known/openid-configuration'
        ? { issuer: url, jwks_uri: `${url}/jwks`, id_token_signing_alg_values_supported: ['RS256'] }
        : path === '/jwks'
          ? jwks
          : undefined
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body ?? { error: 'not_found' }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url,
    jwksUri: `${url}/jwks`,
    idToken: (user, audience, expiresIn = '5m') =>
      new SignJWT({ email: user.email })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(url)
        .setSubject(user.sub)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(privateKey),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}
