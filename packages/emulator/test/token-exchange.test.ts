import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_USER, type Emulator } from '../src/index.js'
import { appCredentials, expectOAuthError, MY_DOMAIN, token } from './helpers.js'

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange'
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token'

function emulator(): Emulator {
  const emu = createEmulator()
  emu.addTokenExchangeHandler({
    name: 'Okta',
    isDefault: true,
    resolve: (subject) => (subject === 'okta-token-for-demo' ? DEFAULT_USER.username : undefined),
  })
  emu.addTokenExchangeHandler({
    name: 'Auth0',
    subjectTokenTypes: ['urn:ietf:params:oauth:token-type:jwt'],
    resolve: async () => DEFAULT_USER.username,
  })
  return emu
}

const exchange = (emu: Emulator, fields: Record<string, string>) =>
  token(
    emu,
    {
      grant_type: GRANT,
      subject_token: 'okta-token-for-demo',
      subject_token_type: ID_TOKEN,
      ...appCredentials,
      ...fields,
    },
    MY_DOMAIN,
  )

describe('token exchange grant', () => {
  it('maps the subject token to a user through the default handler and opens a session', async () => {
    const emu = emulator()
    const res = await exchange(emu, {})
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, string>
    expect(body.issued_token_type).toBe('urn:ietf:params:oauth:token-type:access_token')
    expect(body.id).toBe(`${MY_DOMAIN}/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`)
    expect(body.refresh_token).toBeUndefined()
    expect(emu.isValidAccessToken(body.access_token!)).toBe(true)
    expect(emu.count('token', GRANT)).toBe(1)
  })

  it('uses the named handler, grants a requested subset of scopes with a refresh token', async () => {
    const res = await exchange(emulator(), {
      token_handler: 'Auth0',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      subject_token: 'anything',
      scope: 'api refresh_token',
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, string>
    expect(body.scope).toBe('api refresh_token')
    expect(body.refresh_token).toMatch(/^5Aep861/)
  })

  it('rejects an unknown handler, and answers the same on an org with none', async () => {
    await expectOAuthError(
      await exchange(emulator(), { token_handler: 'Nope' }),
      'invalid_request',
      'invalid token handler',
    )
    await expectOAuthError(
      await exchange(createEmulator(), {}),
      'invalid_request',
      'invalid token handler',
    )
  })

  it('rejects a subject token the handler does not map to a user', async () => {
    await expectOAuthError(
      await exchange(emulator(), { subject_token: 'forged' }),
      'invalid_grant',
      'invalid subject token',
    )
  })

  it('rejects a subject token over 10,000 characters, and takes one of exactly 10,000', async () => {
    const emu = createEmulator()
    emu.addTokenExchangeHandler({ name: 'Any', resolve: () => DEFAULT_USER.username })
    await expectOAuthError(
      await exchange(emu, { subject_token: 'x'.repeat(10_001) }),
      'invalid_request',
      'subject_token exceeds the maximum length of 10000 characters',
    )
    expect((await exchange(emu, { subject_token: 'x'.repeat(10_000) })).status).toBe(200)
  })

  it('rejects missing parameters, unknown token types and a type the handler does not take', async () => {
    const emu = emulator()
    await expectOAuthError(
      await exchange(emu, { subject_token: '' }),
      'invalid_request',
      'missing required parameter: subject_token',
    )
    await expectOAuthError(
      await exchange(emu, { subject_token_type: '' }),
      'invalid_request',
      'missing required parameter: subject_token_type',
    )
    await expectOAuthError(
      await exchange(emu, { subject_token_type: 'urn:example:nope' }),
      'invalid_request',
      'unsupported subject_token_type',
    )
    await expectOAuthError(
      await exchange(emu, { token_handler: 'Auth0' }),
      'invalid_request',
      'unsupported subject_token_type for this token handler',
    )
  })

  it('authenticates the client and keeps scope within the app’s', async () => {
    const emu = emulator()
    await expectOAuthError(
      await exchange(emu, { client_secret: 'wrong' }),
      'invalid_client',
      'invalid client credentials',
    )
    await expectOAuthError(
      await exchange(emu, { scope: 'full' }),
      'invalid_scope',
      'the requested scope is not allowed',
    )
  })

  it('refuses a handler without a name or resolve function', () => {
    expect(() =>
      createEmulator().addTokenExchangeHandler({ name: '', resolve: () => undefined }),
    ).toThrow(TypeError)
  })
})
