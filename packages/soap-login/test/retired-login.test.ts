import { Connection } from '@sfauth/core'
import { createEmulator } from '@sfauth/emulator'
import { rejection } from '@sfauth/test-kit'
import { describe, expect, it } from 'vitest'
import { soapLogin } from '../src/index.js'
import { LOGIN_URL, password, username } from './helpers.js'

describe('SOAP login() in an org that has it disabled', () => {
  it('keeps Salesforce’s code and message and names the flows to move to', async () => {
    const emu = createEmulator({ soapLoginDisabled: true })
    const conn = new Connection({ loginUrl: LOGIN_URL, fetch: emu.fetch, flows: [soapLogin()] })
    const err = await rejection(conn.login(username, password), {
      errorCode: 'INVALID_OPERATION',
      status: 500,
    })
    expect(err.message).toMatch(
      /^INVALID_OPERATION: SOAP API login\(\) is disabled by default in this org\. Contact the org administrator to enable SOAP API login\(\)\. \(/,
    )
    expect(err.message).toContain('@sfauth/jwt (jwtBearer())')
    expect(err.message).toContain('@sfauth/client-credentials (clientCredentials())')
    expect(err.message).toContain('web server flow of @sfauth/oauth2')
    expect(err.message).toContain('docs/migrating-from-password-logins.md')
    expect(err.message).not.toContain(password)
    // No advice about security tokens: the credentials were never looked at.
    expect(err.message).not.toMatch(/security token/)
    expect(conn.accessToken).toBeUndefined()
  })

  it('gives other refusals no retirement advice', async () => {
    const emu = createEmulator()
    const conn = new Connection({ loginUrl: LOGIN_URL, fetch: emu.fetch, flows: [soapLogin()] })
    emu.addUser({ username: 'locked@example.com', password: 'p', apiDisabled: true })
    const err = await rejection(conn.login('locked@example.com', 'p'))
    expect(err.errorCode).toBe('API_DISABLED_FOR_ORG')
    expect(err.message).not.toContain('@sfauth/jwt')
  })
})
