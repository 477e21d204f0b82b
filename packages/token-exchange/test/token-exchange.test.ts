import { inspect } from 'node:util'
import { Connection, SfAuthError } from '@sfauth/core'
import { recordingFetch, rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  MAX_SUBJECT_TOKEN_LENGTH,
  TOKEN_EXCHANGE_GRANT_TYPE,
  type TokenExchangeOptions,
  tokenExchange,
} from '../src/index.js'
import {
  ACCESS_TOKEN,
  ACCESS_TOKEN_HANDLER,
  APP,
  CLIENT,
  HANDLER,
  ID_TOKEN,
  type Idp,
  MY_DOMAIN,
  newSetup,
  PUBLIC_APP,
  USER,
} from './helpers.js'

let idp: Idp
const emulator = useMswEmulator(() => {
  const setup = newSetup()
  idp = setup.idp
  return setup.emu
})
const GRANT = { grant_type: TOKEN_EXCHANGE_GRANT_TYPE } as const
const QUERY = 'query?q=SELECT+Id+FROM+User+LIMIT+1'
const TOKEN_URL = `${MY_DOMAIN}/services/oauth2/token`
type QueryResult = { records: { Id: string }[] }

function connect(
  options: Partial<TokenExchangeOptions> = {},
  extra: Partial<ConstructorParameters<typeof Connection>[0]> = {},
) {
  return new Connection({
    loginUrl: MY_DOMAIN,
    oauth2: CLIENT,
    flows: [tokenExchange({ subjectToken: idp.issue(), subjectTokenType: ID_TOKEN, ...options })],
    ...extra,
  })
}

async function sentForm(wire: ReturnType<typeof recordingFetch>, index = 0) {
  const request = wire.requests.filter((r) => r.url === TOKEN_URL)[index]
  return Object.fromEntries(new URLSearchParams(await request?.text()))
}

/** Every way an error shows text. */
function shown(err: unknown): string {
  const e = err as Error
  return [e.message, e.stack, JSON.stringify(e), inspect(e, { depth: 10 })].join('\n')
}

describe('the exchange', () => {
  it('trades the subject token for a session of the mapped user, and requests work on it', async () => {
    const conn = connect()
    const userInfo = await conn.authorize(GRANT)
    expect(userInfo).toMatchObject({ id: USER.userId, organizationId: USER.orgId })
    expect(emulator.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
    expect(emulator.emu.count('token', TOKEN_EXCHANGE_GRANT_TYPE)).toBe(1)
    const result = await conn.request<QueryResult>(QUERY)
    expect(result.records[0]?.Id).toBe(USER.userId)
  })

  it('sends the RFC 8693 parameters with the client ID and secret of the oauth2 option', async () => {
    const wire = recordingFetch()
    const conn = connect({}, { fetch: wire.fetch })
    await conn.authorize(GRANT)
    expect(await sentForm(wire)).toEqual({
      grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
      subject_token: idp.issued[0],
      subject_token_type: ID_TOKEN,
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
    })
  })

  it('sends token_handler and scope when given', async () => {
    const wire = recordingFetch()
    const conn = connect(
      { tokenHandler: ACCESS_TOKEN_HANDLER, subjectTokenType: ACCESS_TOKEN, scope: 'api' },
      { fetch: wire.fetch },
    )
    await conn.authorize(GRANT)
    expect(await sentForm(wire)).toMatchObject({
      token_handler: ACCESS_TOKEN_HANDLER,
      subject_token_type: ACCESS_TOKEN,
      scope: 'api',
    })
    expect(conn.userInfo?.id).toBe(USER.userId)
  })

  it('keeps the refresh token Salesforce issues when the scope asks for one', async () => {
    const conn = connect({ scope: 'api refresh_token' })
    await conn.authorize(GRANT)
    expect(conn.refreshToken).toEqual(expect.any(String))
  })

  it('sends no client secret when the connection has none (an app that does not require it)', async () => {
    const wire = recordingFetch()
    const conn = connect({}, { fetch: wire.fetch, oauth2: { clientId: PUBLIC_APP.clientId } })
    await conn.authorize(GRANT)
    const form = await sentForm(wire)
    expect(form.client_id).toBe(PUBLIC_APP.clientId)
    expect(form).not.toHaveProperty('client_secret')
    expect(conn.userInfo?.id).toBe(USER.userId)
  })

  it('takes client_id and client_secret passed to authorize() itself', async () => {
    const conn = connect({}, { oauth2: undefined })
    await conn.authorize({ ...GRANT, client_id: APP.clientId, client_secret: APP.clientSecret })
    expect(conn.userInfo?.id).toBe(USER.userId)
  })

  it('rejects with a TypeError naming oauth2.clientId when no client ID is known', async () => {
    const conn = connect({}, { oauth2: undefined })
    await expect(conn.authorize(GRANT)).rejects.toThrow(/oauth2: \{ clientId \}/)
    expect(emulator.emu.count('token')).toBe(0)
  })
})

describe('renewal', () => {
  it('calls a subjectToken function again and exchanges the fresh token', async () => {
    const calls: string[] = []
    const conn = connect({
      subjectToken: async () => {
        calls.push(idp.issue())
        return calls.at(-1) as string
      },
    })
    await conn.authorize(GRANT)
    expect(calls).toHaveLength(1)
    const refreshes: string[] = []
    conn.on('refresh', (accessToken) => refreshes.push(accessToken))
    emulator.emu.expireSessions()
    idp.expire(calls[0] as string) // the first subject token has expired meanwhile

    const result = await conn.request<QueryResult>(QUERY)
    expect(result.records[0]?.Id).toBe(USER.userId)
    expect(calls).toHaveLength(2)
    expect(refreshes).toEqual([conn.accessToken])
    expect(emulator.emu.count('token', TOKEN_EXCHANGE_GRANT_TYPE)).toBe(2)
  })

  it('takes a sync subjectToken function too', async () => {
    const conn = connect({ subjectToken: () => idp.issue() })
    await conn.authorize(GRANT)
    emulator.emu.expireSessions()
    await conn.request<QueryResult>(QUERY)
    expect(idp.issued).toHaveLength(3) // connect() issued one it did not use
  })

  it('re-sends a plain string, which works while it is valid', async () => {
    const wire = recordingFetch()
    const conn = connect({}, { fetch: wire.fetch })
    await conn.authorize(GRANT)
    emulator.emu.expireSessions()
    await conn.request<QueryResult>(QUERY)
    expect((await sentForm(wire, 1)).subject_token).toBe(idp.issued[0])
  })

  it('says to pass a function when a plain string has expired by the renewal', async () => {
    const conn = connect()
    await conn.authorize(GRANT)
    emulator.emu.expireSessions()
    idp.expire(idp.issued[0] as string)
    const err = await rejection(conn.request(QUERY), { errorCode: 'invalid_grant', status: 400 })
    expect(err.message).toMatch(/^invalid subject token\. /)
    expect(err.message).toMatch(/pass subjectToken as an async function/)
    expect(shown(err)).not.toContain(idp.issued[0])
  })

  it('renews a session it did not make (passed in the options) by exchanging', async () => {
    const first = connect()
    await first.authorize(GRANT)
    const conn = connect(
      { subjectToken: () => idp.issue() },
      { instanceUrl: first.instanceUrl, accessToken: first.accessToken },
    )
    emulator.emu.expireSessions()
    await expect(conn.request<QueryResult>(QUERY)).resolves.toMatchObject({
      records: [{ Id: USER.userId }],
    })
    expect(emulator.emu.count('token', TOKEN_EXCHANGE_GRANT_TYPE)).toBe(2)
  })
})

describe('errors', () => {
  it("keeps Salesforce's invalid_grant for a refused subject token, with a hint, no token", async () => {
    const conn = connect({ subjectToken: 'IDP-UNKNOWN-SUBJECT-TOKEN-NEVER-SHOWN-0000000' })
    const err = await rejection(conn.authorize(GRANT), { errorCode: 'invalid_grant', status: 400 })
    expect(err.message).toMatch(/^invalid subject token\. /)
    expect(err.message).toMatch(/default token exchange handler.*refused the subject token/)
    expect(err.message).not.toMatch(/pass subjectToken as an async function/)
    expect(shown(err)).not.toContain('IDP-UNKNOWN-SUBJECT-TOKEN')
    expect(conn.accessToken).toBeUndefined()
  })

  it('names an unknown handler and where to set it up', async () => {
    const conn = connect({ tokenHandler: 'NoSuchHandler' })
    const err = await rejection(conn.authorize(GRANT), {
      errorCode: 'invalid_request',
      status: 400,
    })
    expect(err.message).toMatch(/^invalid token handler\. /)
    expect(err.message).toContain('"NoSuchHandler"')
    expect(err.message).toContain('Token Exchange Handlers')
  })

  it('says when the handler does not take that token type', async () => {
    const conn = connect({ tokenHandler: ACCESS_TOKEN_HANDLER })
    const err = await rejection(conn.authorize(GRANT), {
      errorCode: 'invalid_request',
      status: 400,
    })
    expect(err.message).toMatch(/^unsupported subject_token_type for this token handler\. /)
    expect(err.message).toContain(ID_TOKEN)
  })

  it('hints at the app scopes for invalid_scope', async () => {
    const conn = connect({ scope: 'api chatter_api' })
    const err = await rejection(conn.authorize(GRANT), { errorCode: 'invalid_scope', status: 400 })
    expect(err.message).toMatch(/subset of the connected app's OAuth scopes/)
  })

  it('keeps invalid_request for a token type Salesforce does not know, without a hint', async () => {
    const conn = connect({ subjectTokenType: 'urn:example:not-a-type' })
    const err = await rejection(conn.authorize(GRANT), {
      errorCode: 'invalid_request',
      status: 400,
    })
    expect(err.message).toBe('unsupported subject_token_type')
  })

  it(`refuses a subject token over ${MAX_SUBJECT_TOKEN_LENGTH} characters before sending it`, async () => {
    const long = `IDP-LONG-${'y'.repeat(MAX_SUBJECT_TOKEN_LENGTH)}`
    const conn = connect({ subjectToken: long })
    const err = await rejection(conn.authorize(GRANT), { errorCode: 'ERR_SUBJECT_TOKEN_TOO_LONG' })
    expect(err.message).toContain(`${long.length} characters`)
    expect(err.message).toContain('at most 10000')
    expect(shown(err)).not.toContain('IDP-LONG-')
    expect(emulator.emu.count('token')).toBe(0)
  })

  it(`sends a subject token of exactly ${MAX_SUBJECT_TOKEN_LENGTH} characters`, async () => {
    const exact = 'z'.repeat(MAX_SUBJECT_TOKEN_LENGTH)
    const conn = connect({ subjectToken: exact })
    // The handler does not know it, so Salesforce refuses it: but it was sent.
    await rejection(conn.authorize(GRANT), { errorCode: 'invalid_grant', status: 400 })
    expect(emulator.emu.count('token', TOKEN_EXCHANGE_GRANT_TYPE)).toBe(1)
  })

  it("adds the length hint to Salesforce's own refusal and hides an echoed token", async () => {
    const token = idp.issue()
    emulator.override(
      http.post(TOKEN_URL, () =>
        HttpResponse.json(
          {
            error: 'invalid_request',
            error_description: `subject_token exceeds the maximum length of 2000 characters: ${token}`,
          },
          { status: 400 },
        ),
      ),
    )
    const conn = connect({ subjectToken: token })
    const err = await rejection(conn.authorize(GRANT), {
      errorCode: 'invalid_request',
      status: 400,
    })
    expect(err.message).toMatch(
      /^subject_token exceeds the maximum length of 2000 characters: \[redacted\]\. /,
    )
    expect(err.message).toContain('at most 10000 characters')
    expect(shown(err)).not.toContain(token)
    // Core scrubs the subject token from the token call's error already, so its cause is clean too.
    expect(inspect(err.cause, { depth: 10 })).not.toContain(token)
  })

  it('a server echoing the subject token or the actor token as its error code: never the errorCode', async () => {
    // Opaque tokens short enough to pass for a code (a JWT is longer than any code).
    const subject = 'opaque-subject-token-0123456789abcdef'
    const actor = 'opaque-actor-token-fedcba9876543210'
    for (const echoed of [subject, actor]) {
      emulator.override(
        http.post(TOKEN_URL, () => HttpResponse.json({ error: echoed }, { status: 400 })),
      )
      const conn = connect({ subjectToken: subject })
      const err = await rejection(
        conn.authorize({
          ...GRANT,
          actor_token: actor,
          actor_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        }),
        { errorCode: 'ERR_HTTP', status: 400 },
      )
      expect(shown(err)).not.toContain(echoed)
      expect(String(err.errorCode)).not.toContain(echoed)
    }
  })

  it('rejects with ERR_SUBJECT_TOKEN when the subjectToken function fails or gives no token', async () => {
    const failing = connect({
      subjectToken: async () => {
        throw new Error('the IdP session ended')
      },
    })
    const err = await rejection(failing.authorize(GRANT), { errorCode: 'ERR_SUBJECT_TOKEN' })
    expect(err.message).toContain('the IdP session ended')
    const empty = connect({ subjectToken: async () => '' })
    await rejection(empty.authorize(GRANT), { errorCode: 'ERR_SUBJECT_TOKEN' })
    expect(emulator.emu.count('token')).toBe(0)
  })

  it('throws a TypeError for malformed options', () => {
    const ok = { subjectToken: 'a-token', subjectTokenType: ID_TOKEN }
    expect(() => tokenExchange(undefined as never)).toThrow(TypeError)
    expect(() => tokenExchange({ ...ok, subjectToken: '' })).toThrow(/subjectToken/)
    expect(() => tokenExchange({ ...ok, subjectToken: 42 as never })).toThrow(/subjectToken/)
    expect(() => tokenExchange({ ...ok, subjectTokenType: '' })).toThrow(/subjectTokenType/)
    expect(() => tokenExchange({ ...ok, tokenHandler: '' })).toThrow(/tokenHandler/)
    expect(() => tokenExchange({ ...ok, scope: 7 as never })).toThrow(/scope/)
  })

  it('never shows the subject token or the secret in the connection or the flow', async () => {
    const conn = connect()
    await conn.authorize(GRANT)
    const flow = tokenExchange({
      subjectToken: idp.issued[0] as string,
      subjectTokenType: ID_TOKEN,
    })
    for (const view of [
      JSON.stringify(conn),
      inspect(conn, { depth: 10 }),
      JSON.stringify(flow),
      inspect(flow, { depth: 10 }),
    ]) {
      expect(view).not.toContain(idp.issued[0])
      expect(view).not.toContain(APP.clientSecret)
    }
  })

  it('is an SfAuthError for the wrong client secret, without the secret', async () => {
    const conn = connect(
      {},
      { oauth2: { clientId: APP.clientId, clientSecret: 'WRONG-SECRET-0000' } },
    )
    const err = await rejection(conn.authorize(GRANT), { errorCode: 'invalid_client', status: 400 })
    expect(err).toBeInstanceOf(SfAuthError)
    expect(shown(err)).not.toContain('WRONG-SECRET-0000')
  })
})

describe('registration', () => {
  it('answers only its grant type and revokes at logout', async () => {
    const flow = tokenExchange({ subjectToken: 'x-token', subjectTokenType: ID_TOKEN })
    expect(flow.name).toBe('@sfauth/token-exchange')
    expect(flow.grantTypes).toEqual([TOKEN_EXCHANGE_GRANT_TYPE])
    const conn = connect()
    await conn.authorize(GRANT)
    const token = conn.accessToken as string
    await conn.logout()
    expect(emulator.emu.isValidAccessToken(token)).toBe(false)
    expect(emulator.emu.count('revoke')).toBe(1)
  })

  it("core's ERR_NO_FLOW names this package when it is not registered", async () => {
    const conn = new Connection({ loginUrl: MY_DOMAIN, oauth2: CLIENT })
    const err = await rejection(conn.authorize(GRANT), { errorCode: 'ERR_NO_FLOW' })
    expect(err.message).toContain('@sfauth/token-exchange (tokenExchange(')
  })

  it('uses the named default handler', async () => {
    const conn = connect({ tokenHandler: HANDLER })
    await expect(conn.authorize(GRANT)).resolves.toMatchObject({ id: USER.userId })
  })
})
