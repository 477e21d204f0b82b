import { Connection, type UserInfo } from '@sfauth/core'
import { DEFAULT_USER } from '@sfauth/emulator'
import { rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { jwtBearer } from '../src/index.js'
import {
  CLIENT_ID,
  connect,
  emulatorFor,
  GRANT,
  generateKeys,
  INSTANCE,
  USERNAME,
} from './helpers.js'

const keys = await generateKeys()
const env = useMswEmulator(() => emulatorFor({ publicKey: keys.spki }))

/** Signs the way the seed does it: the caller builds and signs the claim. */
function callerAssertion(): Promise<string> {
  return new SignJWT({
    iss: CLIENT_ID,
    aud: 'https://login.salesforce.com',
    sub: USERNAME,
    exp: Math.floor(Date.now() / 1000) + 3 * 60,
  })
    .setProtectedHeader({ alg: 'RS256' })
    .sign(keys.privateKey)
}

describe('the seed form: a caller-signed assertion', () => {
  it('posts grant_type and assertion only, and holds the session it gets', async () => {
    const { conn, tokenRequests } = connect(undefined)
    const assertion = await callerAssertion()
    const userInfo = await conn.authorize({ grant_type: GRANT, assertion })

    expect(userInfo.id).toBe(DEFAULT_USER.userId)
    expect(userInfo.organizationId).toBe(DEFAULT_USER.orgId)
    expect(conn.instanceUrl).toBe(INSTANCE)
    expect(env.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
    expect(conn.refreshToken).toBeUndefined()
    expect(tokenRequests).toHaveLength(1)
    expect(Object.fromEntries(tokenRequests[0] as URLSearchParams)).toEqual({
      grant_type: GRANT,
      assertion,
    })
  })

  it('adds client_id when the connection knows the client', async () => {
    const { conn, tokenRequests } = connect(undefined, { oauth2: { clientId: CLIENT_ID } })
    await conn.authorize({ grant_type: GRANT, assertion: await callerAssertion() })
    expect(tokenRequests[0]?.get('client_id')).toBe(CLIENT_ID)

    const other = connect({ clientId: CLIENT_ID })
    await other.conn.authorize({ grant_type: GRANT, assertion: await callerAssertion() })
    expect(other.tokenRequests[0]?.get('client_id')).toBe(CLIENT_ID)
  })

  it('answers a Node-style callback too', async () => {
    const { conn } = connect(undefined)
    const assertion = await callerAssertion()
    const userInfo = await new Promise<UserInfo | undefined>((resolve, reject) => {
      conn.authorize({ grant_type: GRANT, assertion }, (err, info) =>
        err ? reject(err) : resolve(info),
      )
    })
    expect(userInfo?.id).toBe(DEFAULT_USER.userId)
  })

  it('cannot renew without a key, and says so instead of calling Salesforce', async () => {
    const { conn } = connect(undefined)
    await conn.authorize({ grant_type: GRANT, assertion: await callerAssertion() })
    env.emu.expireSessions()

    const err = await rejection(conn.request('query?q=SELECT+Id+FROM+User'))
    expect(err.errorCode).toBe('INVALID_SESSION_ID')
    expect(err.status).toBe(401)
    expect(err.message).toMatch(/cannot renew/)
    expect(err.message).toMatch(/privateKey/)
    expect(env.emu.count('token', GRANT)).toBe(1)
  })

  it('renews by signing when a key is configured, even after a caller-signed login', async () => {
    const { conn, tokenRequests } = connect(
      { username: USERNAME, privateKey: keys.pkcs8 },
      {
        oauth2: { clientId: CLIENT_ID },
      },
    )
    const assertion = await callerAssertion()
    await conn.authorize({ grant_type: GRANT, assertion })
    env.emu.expireSessions()

    const result = await conn.request<{ records: { Username: string }[] }>(
      'query?q=SELECT+Id+FROM+User',
    )
    expect(result.records[0]?.Username).toBe(USERNAME)
    expect(tokenRequests).toHaveLength(2)
    expect(tokenRequests[1]?.get('assertion')).not.toBe(assertion)
  })

  it('leaves the renewal of a session it did not make to other flows', async () => {
    const conn = new Connection({
      instanceUrl: INSTANCE,
      accessToken: 'not-a-live-token',
      flows: [jwtBearer()],
    })
    const err = await rejection(conn.request('query?q=SELECT+Id+FROM+User'))
    // Core's own message: no registered flow could renew it.
    expect(err.errorCode).toBe('INVALID_SESSION_ID')
    expect(err.message).toMatch(/register a flow that can renew it/)
    expect(env.emu.count('token')).toBe(0)
  })
})
