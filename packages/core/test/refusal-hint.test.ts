import { createEmulator } from '@sfauth/emulator'
import { rejection } from '@sfauth/test-kit'
import { describe, expect, it } from 'vitest'
import { Connection } from '../src/index.js'
import { client, password, passwordFlow, username } from './helpers.js'

describe('a REST API that requires high-assurance sessions', () => {
  async function apiLogin(requireHighAssurance: boolean) {
    const emu = createEmulator({ requireHighAssurance })
    const conn = new Connection({ fetch: emu.fetch, oauth2: client, flows: [passwordFlow()] })
    await conn.login(username, password)
    return { emu, conn }
  }

  it('rejects with Salesforce’s code and message, says what gets such a session, and renews nothing', async () => {
    const { emu, conn } = await apiLogin(true)
    const err = await rejection(conn.request('limits'), {
      errorCode: 'INVALID_SESSION_ID',
      status: 401,
    })
    expect(err.message).toMatch(/^This session is not valid for use with the REST API \(/)
    expect(err.message).toContain('high-assurance session')
    expect(err.message).toContain('web server flow of @sfauth/oauth2')
    expect(err.message).not.toContain(conn.accessToken as string)
    expect(emu.count('token', 'password')).toBe(1)
  })

  it('adds nothing to an expired session’s error', async () => {
    const emu = createEmulator({ requireHighAssurance: true })
    const conn = new Connection({
      fetch: emu.fetch,
      instanceUrl: 'https://acme.my.salesforce.com',
      accessToken: '00Dx!dead',
    })
    const err = await rejection(conn.request('limits'), { errorCode: 'INVALID_SESSION_ID' })
    expect(err.message).toMatch(/^Session expired or invalid\. /)
    expect(err.message).not.toContain('high-assurance')
  })
})
