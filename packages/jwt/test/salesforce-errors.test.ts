import { DEFAULT_APP } from '@sfauth/emulator'
import { rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { CLIENT_ID, connect, emulatorFor, GRANT, generateKeys, USERNAME } from './helpers.js'

const keys = await generateKeys()
const stranger = await generateKeys()
const env = useMswEmulator(() =>
  emulatorFor({ publicKey: keys.spki }, { preApprovedUsers: ['someone.else@example.com'] }),
)
const approved = () => emulatorFor({ publicKey: keys.spki })

describe("Salesforce's errors, kept as they are, with a hint on the usual cause", () => {
  it('invalid assertion: a key that does not match the certificate on the app', async () => {
    const { conn } = connect(
      { clientId: CLIENT_ID, username: USERNAME, privateKey: stranger.pkcs8 },
      { fetch: approved().fetch },
    )
    const err = await rejection(conn.authorize({ grant_type: GRANT }))
    expect(err.errorCode).toBe('invalid_grant')
    expect(err.status).toBe(400)
    expect(err.message).toMatch(/^invalid assertion\. Hint: /)
    expect(err.message).toMatch(
      /does not verify with the certificate uploaded to the connected app/,
    )
  })

  it('invalid assertion: a malformed JWT from the caller', async () => {
    const { conn } = connect(undefined, { fetch: approved().fetch })
    const err = await rejection(conn.authorize({ grant_type: GRANT, assertion: 'not.a.jwt' }))
    expect(err.errorCode).toBe('invalid_grant')
    expect(err.message).toMatch(/^invalid assertion\. Hint: .*JWT is malformed/)
    expect(err.message).not.toContain('not.a.jwt')
  })

  it('audience is invalid: names the aud it sent and how to fix it', async () => {
    const { conn } = connect(
      {
        clientId: CLIENT_ID,
        username: USERNAME,
        privateKey: keys.pkcs8,
        audience: 'https://acme.example.com',
      },
      { fetch: approved().fetch },
    )
    const err = await rejection(conn.authorize({ grant_type: GRANT }))
    expect(err.errorCode).toBe('invalid_grant')
    expect(err.message).toMatch(/^audience is invalid\. Hint: /)
    expect(err.message).toMatch(/https:\/\/test\.salesforce\.com for a sandbox/)
    expect(err.message).toMatch(/\(sent: https:\/\/acme\.example\.com\)/)
  })

  it("user hasn't approved this consumer: pre-authorize the user's profile or permission set", async () => {
    const { conn } = connect({ clientId: CLIENT_ID, username: USERNAME, privateKey: keys.pkcs8 })
    const err = await rejection(conn.authorize({ grant_type: GRANT }))
    expect(err.errorCode).toBe('invalid_grant')
    expect(err.message).toMatch(
      /^user hasn't approved this consumer\. Hint: pre-authorize the user/,
    )
    expect(err.message).toMatch(/profile or a permission set/)
  })

  it('expired authorization code: an exp already in the past', async () => {
    const assertion = await new SignJWT({
      iss: CLIENT_ID,
      sub: USERNAME,
      aud: 'https://login.salesforce.com',
      exp: Math.floor(Date.now() / 1000) - 3600,
    })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(keys.privateKey)
    const { conn } = connect(undefined, { fetch: approved().fetch })
    const err = await rejection(conn.authorize({ grant_type: GRANT, assertion }))
    expect(err.errorCode).toBe('invalid_grant')
    expect(err.message).toMatch(/^expired authorization code\. Hint: .*clock/)
  })

  it('client identifier invalid: iss is not a consumer key the org knows', async () => {
    const { conn } = connect(
      { clientId: `${DEFAULT_APP.clientId}X`, username: USERNAME, privateKey: keys.pkcs8 },
      { fetch: approved().fetch },
    )
    const err = await rejection(conn.authorize({ grant_type: GRANT }))
    expect(err.errorCode).toBe('invalid_client_id')
    expect(err.message).toMatch(/^client identifier invalid\. Hint: .*consumer key/)
  })

  it('keeps the original error as the cause', async () => {
    const { conn } = connect({ clientId: CLIENT_ID, username: USERNAME, privateKey: keys.pkcs8 })
    const err = await rejection(conn.authorize({ grant_type: GRANT }))
    expect((err.cause as Error).message).toBe("user hasn't approved this consumer")
    expect(env.emu.count('token', GRANT)).toBe(1)
  })
})
