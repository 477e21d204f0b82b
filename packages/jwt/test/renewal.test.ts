import { Connection } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { decodeJwt } from 'jose'
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
const QUERY = 'query?q=SELECT+Id+FROM+User'
const signing = { clientId: CLIENT_ID, username: USERNAME, privateKey: keys.pkcs1 }

type QueryResult = { records: { Username: string }[] }

describe('renewal after the session expires', () => {
  it('signs the renewal assertion for the same user and audience', async () => {
    const { conn, tokenRequests } = connect(signing)
    await conn.authorize({ grant_type: GRANT })
    env.emu.expireSessions()
    const result = await conn.request<QueryResult>(QUERY)
    expect(result.records[0]?.Username).toBe(USERNAME)
    expect(tokenRequests).toHaveLength(2)
    expect(decodeJwt(tokenRequests[1]?.get('assertion') as string)).toMatchObject({
      iss: CLIENT_ID,
      sub: USERNAME,
      aud: 'https://login.salesforce.com',
    })
  })

  it('renews again on the next expiry, and never loops when renewal fails', async () => {
    const { conn } = connect(signing)
    await conn.authorize({ grant_type: GRANT })
    env.emu.expireSessions()
    await conn.request(QUERY)
    env.emu.expireSessions()
    await conn.request(QUERY)
    expect(env.emu.count('token', GRANT)).toBe(3)

    // The app loses the certificate: renewal is refused once, and the request fails with it.
    env.emu.addApp({ clientId: CLIENT_ID, publicKey: (await generateKeys()).spki })
    env.emu.expireSessions()
    const err = await conn.request(QUERY).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/^invalid assertion\. Hint:/)
    expect(env.emu.count('token', GRANT)).toBe(4)
  })

  it('renews a session it did not make (passed in, or restored) when it can sign', async () => {
    const conn = new Connection({
      instanceUrl: INSTANCE,
      accessToken: 'stale-token-from-yesterday',
      oauth2: { clientId: CLIENT_ID },
      flows: [jwtBearer({ username: USERNAME, privateKey: keys.jwk })],
    })
    const result = await conn.request<QueryResult>(QUERY)
    expect(result.records[0]?.Username).toBe(USERNAME)
    expect(env.emu.count('token', GRANT)).toBe(1)
  })
})
