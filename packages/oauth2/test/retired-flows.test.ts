import { Connection, SfAuthError } from '@sfauth/core'
import { createEmulator, DEFAULT_APP } from '@sfauth/emulator'
import { describe, expect, it } from 'vitest'
import { newOAuth2, PASSWORD, USERNAME } from './helpers.js'

/** What a refused password grant must tell: Salesforce's answer, then the ways out. */
function expectMigrationHint(err: unknown): void {
  expect(err).toBeInstanceOf(SfAuthError)
  expect(err).toMatchObject({ errorCode: 'invalid_grant', status: 400 })
  const { message } = err as SfAuthError
  expect(message).toMatch(/^authentication failure \(/)
  expect(message).toContain('@sfauth/jwt')
  expect(message).toContain('@sfauth/client-credentials')
  expect(message).toContain('web server flow of @sfauth/oauth2')
  expect(message).toContain('docs/migrating-from-password-logins.md')
  expect(message).not.toContain(PASSWORD)
}

describe('a password grant Salesforce refuses because the flow is retired or absent', () => {
  it('names the replacements when the org enforces the release update', async () => {
    const emu = createEmulator({ blockUsernamePasswordFlow: true })
    const conn = new Connection({ fetch: emu.fetch, oauth2: newOAuth2() })
    expectMigrationHint(await conn.login(USERNAME, PASSWORD).catch((e: unknown) => e))
    expect(emu.count('token', 'password')).toBe(1)
  })

  it('names the replacements when the app is an External Client App', async () => {
    const emu = createEmulator({ apps: [{ ...DEFAULT_APP, externalClientApp: true }] })
    const oauth2 = newOAuth2({ fetch: emu.fetch })
    expectMigrationHint(await oauth2.authenticate(USERNAME, PASSWORD).catch((e: unknown) => e))
  })

  it('keeps other refusals as Salesforce wrote them', async () => {
    const emu = createEmulator()
    const conn = new Connection({
      fetch: emu.fetch,
      oauth2: newOAuth2({ clientSecret: 'not-the-secret' }),
    })
    const err = await conn.login(USERNAME, PASSWORD).catch((e: unknown) => e)
    expect(err).toMatchObject({
      errorCode: 'invalid_client',
      message: 'invalid client credentials',
    })
  })

  it('leaves the refresh grant’s invalid_grant alone', async () => {
    const emu = createEmulator()
    const oauth2 = newOAuth2({ fetch: emu.fetch })
    const err = await oauth2.refreshToken('5Aep861unknown').catch((e: unknown) => e)
    expect(err).toMatchObject({
      errorCode: 'invalid_grant',
      message: 'expired access/refresh token',
    })
  })
})
