import { Connection, SfAuthError } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it } from 'vitest'
import { session } from '../src/index.js'
import { newEmulator, passwordToken, QUERY, soapSession, USER } from './helpers.js'

const emulator = useMswEmulator(newEmulator)

interface QueryResult {
  records: { Username: string }[]
}

describe('a session passed from elsewhere', () => {
  it('works with serverUrl + sessionId (a SOAP server URL: its origin is the instance)', async () => {
    const { serverUrl, sessionId } = await soapSession()
    expect(new URL(serverUrl).pathname).toMatch(/^\/services\/Soap\/u\//)

    const conn = new Connection({ serverUrl, sessionId, flows: [session()] })

    expect(conn.instanceUrl).toBe(new URL(serverUrl).origin)
    expect(conn.sessionId).toBe(sessionId)
    const result = await conn.request<QueryResult>('query?q=SELECT+Username+FROM+User')
    expect(result.records[0]?.Username).toBe(USER.username)
  })

  it('works with instanceUrl + accessToken', async () => {
    const token = await passwordToken()
    const conn = new Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      flows: [session()],
    })

    const result = await conn.request<QueryResult>('query?q=SELECT+Username+FROM+User')
    expect(result.records[0]?.Username).toBe(USER.username)
    expect(emulator.emu.count('data')).toBe(1)
  })
})

describe('identity()', () => {
  it('asks Salesforce whose session it is and fills userInfo', async () => {
    const token = await passwordToken()
    const conn = new Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      flows: [session()],
    })
    expect(conn.userInfo).toBeUndefined()

    const claims = await conn.identity()

    expect(claims.preferred_username).toBe(USER.username)
    expect(conn.userInfo).toEqual({
      id: claims.user_id,
      organizationId: claims.organization_id,
      url: claims.sub,
    })
    expect(emulator.emu.count('userinfo')).toBe(1)
  })

  it('checks a SOAP session ID too', async () => {
    const { serverUrl, sessionId } = await soapSession()
    const conn = new Connection({ serverUrl, sessionId, flows: [session()] })

    const claims = await conn.identity()

    expect(claims.preferred_username).toBe(USER.username)
    expect(conn.userInfo?.organizationId).toBe(claims.organization_id)
  })

  it('rejects an invalid session with SfAuthError Bad_OAuth_Token (403) and says how to renew', async () => {
    const token = await passwordToken()
    emulator.emu.expireSession(token.access_token)
    const conn = new Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      flows: [session()],
    })

    const err = await conn.identity().catch((e: unknown) => e)

    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'Bad_OAuth_Token', status: 403 })
    expect((err as Error).message).toMatch(/refresh token/)
    expect((err as Error).message).not.toContain(token.access_token)
    expect(conn.userInfo).toBeUndefined()
  })
})

describe('an expired session that cannot be renewed', () => {
  it('rejects with INVALID_SESSION_ID and a message saying how to get a renewable session', async () => {
    const token = await passwordToken()
    const conn = new Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      flows: [session()],
    })
    emulator.emu.expireSessions()

    const err = await conn.request(QUERY).catch((e: unknown) => e)

    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'INVALID_SESSION_ID', status: 401 })
    expect((err as Error).message).toMatch(/OAuth2/)
    expect((err as Error).message).toMatch(/refresh token/)
    expect((err as Error).message).not.toContain(token.access_token)
    // Renewal was impossible, so nothing was tried against the token endpoint.
    expect(emulator.emu.count('token')).toBe(1)
  })
})
