import { inspect } from 'node:util'
import { DEFAULT_USER } from '@sfauth/emulator'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PrivateKeyInput } from '../src/index.js'
import { CLIENT_ID, connect, emulatorFor, GRANT, generateKeys, USERNAME } from './helpers.js'

const keys = await generateKeys()
const env = useMswEmulator(() => emulatorFor({ publicKey: keys.spki }))
/** A whole second of the real clock plus `ms`, so the emulator's clock agrees with the fake one. */
function second(ms = 0): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000 + ms)
}
afterEach(() => {
  vi.useRealTimers()
})

const formats: [string, () => PrivateKeyInput][] = [
  ['PKCS#8 PEM (BEGIN PRIVATE KEY)', () => keys.pkcs8],
  ['PKCS#1 PEM (BEGIN RSA PRIVATE KEY)', () => keys.pkcs1],
  ['PKCS#1 PEM with CRLF line ends', () => keys.pkcs1.replace(/\n/g, '\r\n')],
  [
    'PEM with its newlines escaped, as kept in an environment variable',
    () => keys.pkcs1.replace(/\n/g, '\\n'),
  ],
  ['PEM after a certificate in the same file', () => keys.certificate + keys.pkcs8],
  ['JWK object', () => keys.jwk],
  ['JWK as JSON text', () => JSON.stringify(keys.jwk)],
  ['CryptoKey', () => keys.privateKey],
]

describe('signing the assertion', () => {
  it.each(formats)('logs in with a %s', async (_, key) => {
    const { conn, tokenRequests } = connect({
      clientId: CLIENT_ID,
      username: USERNAME,
      privateKey: key(),
    })
    const userInfo = await conn.authorize({ grant_type: GRANT })
    expect(userInfo.id).toBe(DEFAULT_USER.userId)
    expect(env.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
    expect(tokenRequests[0]?.get('grant_type')).toBe(GRANT)
  })

  it('is verified by a connected app holding the public key as a JWK or a certificate', async () => {
    for (const verify of [{ publicKey: keys.publicJwk }, { certificate: keys.certificate }]) {
      const emu = emulatorFor(verify)
      const { conn } = connect(
        { clientId: CLIENT_ID, username: USERNAME, privateKey: keys.pkcs1 },
        { fetch: emu.fetch },
      )
      await conn.authorize({ grant_type: GRANT })
      expect(emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
    }
  })

  it('sends RS256 with exactly iss, sub, aud and exp three minutes ahead', async () => {
    const now = second(750)
    vi.useFakeTimers({ toFake: ['Date'], now })
    const { conn, tokenRequests } = connect({
      clientId: CLIENT_ID,
      username: USERNAME,
      privateKey: keys.pkcs8,
    })
    await conn.authorize({ grant_type: GRANT })

    const form = Object.fromEntries(tokenRequests[0] as URLSearchParams)
    expect(Object.keys(form).sort()).toEqual(['assertion', 'client_id', 'grant_type'])
    expect(form.client_id).toBe(CLIENT_ID)
    const assertion = form.assertion as string
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'RS256' })
    expect(decodeJwt(assertion)).toEqual({
      iss: CLIENT_ID,
      sub: USERNAME,
      aud: 'https://login.salesforce.com',
      exp: (now.getTime() - 750) / 1000 + 180,
    })
  })

  it('takes the lifetime from expiresIn and iss from the connection oauth2 client', async () => {
    const now = second()
    vi.useFakeTimers({ toFake: ['Date'], now })
    const { conn, tokenRequests } = connect(
      { username: USERNAME, privateKey: keys.jwk, expiresIn: 60 },
      { oauth2: { clientId: CLIENT_ID } },
    )
    await conn.authorize({ grant_type: GRANT, assertion: undefined })
    const claims = decodeJwt(tokenRequests[0]?.get('assertion') as string)
    expect(claims.iss).toBe(CLIENT_ID)
    expect(claims.exp).toBe(now.getTime() / 1000 + 60)
  })

  it('is accepted by an emulator that enforces the documented 180 s ceiling', async () => {
    const emu = emulatorFor({ publicKey: keys.spki }, {}, { strictJwtLifetime: true })
    const { conn } = connect(
      { clientId: CLIENT_ID, username: USERNAME, privateKey: keys.pkcs8 },
      { fetch: emu.fetch },
    )
    await conn.authorize({ grant_type: GRANT })
    expect(emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
  })

  it('names what is missing when it has to sign and cannot', async () => {
    const cases: [Parameters<typeof connect>[0], RegExp][] = [
      [{ username: USERNAME, privateKey: keys.pkcs8 }, /needs clientId/],
      [{ clientId: CLIENT_ID, privateKey: keys.pkcs8 }, /needs username/],
      [{ clientId: CLIENT_ID, username: USERNAME }, /needs privateKey/],
      [undefined, /needs clientId .*, username, privateKey/],
    ]
    for (const [options, message] of cases) {
      const { conn } = connect(options)
      const err = await conn.authorize({ grant_type: GRANT }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(TypeError)
      expect((err as Error).message).toMatch(message)
      expect((err as Error).message).toMatch(
        /authorize\(\{ grant_type: JWT_BEARER_GRANT_TYPE, assertion \}\)/,
      )
    }
    expect(env.emu.count('token')).toBe(0)
  })

  it('keeps the key out of the connection and flow as logged or serialised', async () => {
    const { conn } = connect({ clientId: CLIENT_ID, username: USERNAME, privateKey: keys.pkcs1 })
    await conn.authorize({ grant_type: GRANT })
    const material = keys.pkcs1.split('\n')[3] as string
    const views = [
      inspect(conn, { depth: 10 }),
      JSON.stringify(conn),
      inspect(conn.flows, { depth: 10, showHidden: true }),
      JSON.stringify(conn.flows),
    ]
    for (const view of views) {
      expect(view).not.toContain(material)
      expect(view).not.toContain(keys.jwk.d as string)
    }
  })
})
