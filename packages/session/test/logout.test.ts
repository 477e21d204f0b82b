import { Connection, SfAuthError } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it } from 'vitest'
import { session } from '../src/index.js'
import {
  approve,
  LOGIN_URL,
  newEmulator,
  passwordToken,
  refreshStatus,
  refreshTokenFlow,
  restStatus,
  soapSession,
} from './helpers.js'

const emulator = useMswEmulator(newEmulator)

describe('logout of a reused session', () => {
  it('ends a session ID with SOAP logout(); the old session then gets 401', async () => {
    const { serverUrl, sessionId } = await soapSession()
    const instance = new URL(serverUrl).origin
    const conn = new Connection({ serverUrl, sessionId, flows: [session()] })
    expect(await restStatus(instance, sessionId)).toBe(200)

    await conn.logout()

    expect(emulator.emu.count('soap-logout')).toBe(1)
    expect(emulator.emu.count('revoke')).toBe(0)
    expect(await restStatus(instance, sessionId)).toBe(401)
    expect(conn.accessToken).toBeUndefined()
    expect(conn.instanceUrl).toBeUndefined()
  })

  it('revokes an OAuth access token; the old token then gets 401', async () => {
    const token = await passwordToken()
    const conn = new Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      flows: [session()],
    })

    await conn.logout()

    expect(emulator.emu.count('revoke')).toBe(1)
    expect(emulator.emu.count('soap-logout')).toBe(0)
    expect(await restStatus(token.instance_url, token.access_token)).toBe(401)
    expect(conn.accessToken).toBeUndefined()
  })

  it('revokes the refresh token of a session that has one, and with it the access token', async () => {
    const code = approve(emulator.emu)
    const conn = new Connection({ flows: [refreshTokenFlow(), session()] })
    await conn.authorize(code)
    const { accessToken, refreshToken, instanceUrl } = conn
    expect(refreshToken).toBeTruthy()
    // Reuse the saved tokens in a connection that has only session(), as a later run would.
    const reused = new Connection({
      instanceUrl,
      accessToken,
      refreshToken,
      flows: [session()],
    })

    await reused.logout()

    expect(await refreshStatus(LOGIN_URL, refreshToken as string)).toBe(400)
    expect(await restStatus(instanceUrl as string, accessToken as string)).toBe(401)
    expect(reused.refreshToken).toBeUndefined()
  })

  it('counts a session that is already dead as logged out', async () => {
    const token = await passwordToken()
    emulator.emu.expireSession(token.access_token)
    const conn = new Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      flows: [session()],
    })

    await expect(conn.logout()).resolves.toBeUndefined()
    expect(conn.accessToken).toBeUndefined()
  })

  it('reports a logout Salesforce refused and keeps the session', async () => {
    const token = await passwordToken()
    // A revocation endpoint that fails for another reason than a dead token.
    const conn = new Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      flows: [session()],
      fetch: async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input))
        if (url.pathname === '/services/oauth2/revoke') {
          return new Response('{"error":"unsupported_token_type","error_description":"no"}', {
            status: 400,
            headers: { 'Content-Type': 'application/json' },
          })
        }
        return fetch(input, init)
      },
    })

    const err = await conn.logout().catch((e: unknown) => e)

    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'unsupported_token_type', status: 400 })
    expect(conn.accessToken).toBe(token.access_token)
    expect(await restStatus(token.instance_url, token.access_token)).toBe(200)
  })
})
