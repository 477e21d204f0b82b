import { inspect } from 'node:util'
import { SfAuthError } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { startExample } from '@sfauth/test-kit/env'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { TOKEN_EXCHANGE_GRANT_TYPE } from '@sfauth/token-exchange'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { idTokenHandler } from '../src/handler.js'
import { type Issuer, startIssuer } from '../src/issuer.js'
import { exchangeIdToken } from '../src/token-exchange.js'

const AUDIENCE = 'sfauth-example-spa'
const IDP_USER = { sub: 'idp|test-user', email: DEFAULT_USER.email }
const emu = createEmulator()
const server = useLoopbackEmulator(emu)
let issuer: Issuer
let other: Issuer // an issuer the handler does not trust

beforeAll(async () => {
  issuer = await startIssuer()
  other = await startIssuer()
  emu.addTokenExchangeHandler(
    idTokenHandler({
      name: 'TestIdpHandler',
      issuer: issuer.url,
      jwksUri: issuer.jwksUri,
      audience: AUDIENCE,
      users: { [DEFAULT_USER.email]: DEFAULT_USER.username },
    }),
  )
})
afterAll(async () => {
  await issuer?.close()
  await other?.close()
})

const options = (idToken: () => Promise<string>) => ({
  loginUrl: server.url,
  clientId: DEFAULT_APP.clientId,
  clientSecret: DEFAULT_APP.clientSecret,
  tokenHandler: 'TestIdpHandler',
  idToken,
})

describe('token exchange example', () => {
  it("exchanges the issuer's id_token for the mapped user's session and calls REST", async () => {
    emu.resetCalls()
    const { conn, userInfo, me } = await exchangeIdToken(
      options(() => issuer.idToken(IDP_USER, AUDIENCE)),
    )
    expect(userInfo).toMatchObject({ id: DEFAULT_USER.userId, organizationId: DEFAULT_USER.orgId })
    expect(me).toMatchObject({ Id: DEFAULT_USER.userId, Username: DEFAULT_USER.username })
    expect(conn.instanceUrl).toBe(server.url)
    expect(emu.count('token', TOKEN_EXCHANGE_GRANT_TYPE)).toBe(1)
    expect(emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
  })

  it('renews with a fresh id_token after the session expires', async () => {
    const issued: string[] = []
    const { conn } = await exchangeIdToken(
      options(async () => {
        issued.push(await issuer.idToken(IDP_USER, AUDIENCE))
        return issued.at(-1) as string
      }),
    )
    emu.resetCalls()
    emu.expireSessions()
    await conn.request('limits')
    expect(issued).toHaveLength(2)
    expect(emu.count('token', TOKEN_EXCHANGE_GRANT_TYPE)).toBe(1)
  })

  it('is refused with invalid_grant for a token the handler cannot verify, never showing it', async () => {
    const cases = [
      await other.idToken(IDP_USER, AUDIENCE), // signed by a key the issuer's JWKS lacks
      await issuer.idToken(IDP_USER, 'another-client'), // wrong audience
      await issuer.idToken(IDP_USER, AUDIENCE, '-1m'), // expired
      await issuer.idToken({ sub: 'idp|nobody', email: 'nobody@example.com' }, AUDIENCE), // no user
    ]
    for (const token of cases) {
      const err = await exchangeIdToken(options(async () => token)).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(SfAuthError)
      expect((err as SfAuthError).errorCode).toBe('invalid_grant')
      expect((err as SfAuthError).status).toBe(400)
      expect((err as SfAuthError).message).toMatch(/"TestIdpHandler" refused the subject token/)
      for (const view of [String((err as Error).stack), JSON.stringify(err), inspect(err)]) {
        expect(view).not.toContain(token)
      }
    }
  })

  it('pnpm start runs against its own emulator and issuer and prints who logged in', async () => {
    const stdout = await startExample(new URL('..', import.meta.url))
    expect(stdout).toContain('local OpenID Connect issuer at http://127.0.0.1:')
    expect(stdout).toContain(`User ID: ${DEFAULT_USER.userId}`)
    expect(stdout).toContain(`Org ID: ${DEFAULT_USER.orgId}`)
    expect(stdout).toContain(`REST query: ${DEFAULT_USER.username}`)
    expect(stdout).toMatch(/access token: \S+…\[redacted\]/)
  })
})
