import { inspect } from 'node:util'
import { CONCURRENT_CALLERS, rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import type { Session } from '../src/flow.js'
import { Connection, type Flow, SfAuthError, type UserInfo } from '../src/index.js'
import { client, newEmulator, password, passwordFlow, username } from './helpers.js'

const INSTANCE = 'https://acme.my.salesforce.com'
const env = useMswEmulator(newEmulator)

async function loggedIn(extra: Partial<ConstructorParameters<typeof Connection>[0]> = {}) {
  const conn = new Connection({ oauth2: client, flows: [passwordFlow()], ...extra })
  await conn.login(username, password)
  return conn
}

describe('construction', () => {
  it('defaults to production login and version 64.0', () => {
    const conn = new Connection()
    expect(conn.loginUrl).toBe('https://login.salesforce.com')
    expect(conn.version).toBe('64.0')
    expect(conn.accessToken).toBeUndefined()
  })

  it('takes the session of the seed forms: serverUrl/sessionId and instanceUrl/accessToken', () => {
    const soap = new Connection({
      serverUrl: 'https://na1.salesforce.com/services/Soap/u/64.0/00Dx0000000001',
      sessionId: '00Dx!SESSION',
    })
    expect(soap.instanceUrl).toBe('https://na1.salesforce.com')
    expect(soap.accessToken).toBe('00Dx!SESSION')
    expect(soap.sessionId).toBe('00Dx!SESSION')
    const oauth = new Connection({
      instanceUrl: `${INSTANCE}/`,
      accessToken: 'tok',
      refreshToken: 'rt',
    })
    expect(oauth.instanceUrl).toBe(INSTANCE)
    expect(oauth.refreshToken).toBe('rt')
  })

  it('takes loginUrl from the oauth2 client information when no loginUrl is given', () => {
    const conn = new Connection({
      oauth2: { clientId: 'id', loginUrl: 'https://test.salesforce.com/' },
    })
    expect(conn.loginUrl).toBe('https://test.salesforce.com')
  })

  it('refuses plain http:// except to loopback hosts', () => {
    expect(() => new Connection({ loginUrl: 'http://login.salesforce.com' })).toThrow(SfAuthError)
    expect(
      () => new Connection({ instanceUrl: 'http://acme.example.com', accessToken: 't' }),
    ).toThrow(/https/)
    expect(new Connection({ loginUrl: 'http://127.0.0.1:5555' }).loginUrl).toBe(
      'http://127.0.0.1:5555',
    )
  })

  it('rejects bad options with TypeErrors', () => {
    expect(() => new Connection({ accessToken: 'x' })).toThrow(TypeError)
    expect(() => new Connection({ version: '64' })).toThrow(TypeError)
    expect(() => new Connection({ loginUrl: 'not a url' })).toThrow(TypeError)
    expect(
      () => new Connection({ instanceUrl: 'https://acme.lightning.force.com', accessToken: 't' }),
    ).toThrow(/lightning/)
    expect(() => new Connection({ timeout: 0 })).toThrow(TypeError)
    expect(() => new Connection().use({ name: 'not a flow' } as Flow)).toThrow(TypeError)
  })

  it('registers an oauth2 flow instance by the option alone, but not plain client information', () => {
    const flow = Object.assign(passwordFlow(), { clientId: 'abc' })
    expect(new Connection({ oauth2: flow }).flows).toEqual([flow])
    expect(new Connection({ oauth2: { clientId: 'abc' } }).flows).toEqual([])
  })
})

describe('login and request', () => {
  it('logs in through the registered flow and holds the session', async () => {
    const conn = new Connection({ oauth2: client, flows: [passwordFlow()] })
    const info = await conn.login(username, password)
    expect(info.id).toMatch(/^005/)
    expect(info.organizationId).toMatch(/^00D/)
    expect(conn.userInfo).toEqual(info)
    expect(conn.instanceUrl).toBe(INSTANCE)
    expect(env.emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
  })

  it('resolves relative paths against /services/data/v{version}/ and /services/ paths against the instance', async () => {
    const conn = await loggedIn({ version: '62.0' })
    await conn.request('query?q=SELECT+Id+FROM+User')
    await conn.request('/services/data')
    const urls = env.emu.calls
      .filter((c) => c.endpoint === 'data')
      .map((c) => new URL(c.url).pathname)
    expect(urls).toEqual(['/services/data/v62.0/query', '/services/data'])
  })

  it('parses JSON answers of the REST API', async () => {
    const conn = await loggedIn()
    const versions = await conn.request<unknown[]>('/services/data')
    expect(Array.isArray(versions)).toBe(true)
  })

  it('never sends the token to another origin', async () => {
    const conn = await loggedIn()
    await expect(conn.request('https://evil.example.com/steal')).rejects.toThrow(TypeError)
    expect(env.emu.count('data')).toBe(0)
  })

  it('rejects request() without a session with ERR_NO_SESSION', async () => {
    const err = await rejection(new Connection({ flows: [passwordFlow()] }).request('limits'))
    expect(err.errorCode).toBe('ERR_NO_SESSION')
  })

  it('supports Node-style callbacks for success and failure', async () => {
    const conn = new Connection({ oauth2: client, flows: [passwordFlow()] })
    const ok = await new Promise<[Error | null, UserInfo | undefined]>((resolve) => {
      conn.login(username, password, (err, info) => resolve([err, info]))
    })
    expect(ok[0]).toBeNull()
    expect(ok[1]?.id).toMatch(/^005/)
    const bad = await new Promise<Error | null>((resolve) => {
      conn.login(username, 'wrong-password', (err) => resolve(err))
    })
    expect(bad).toBeInstanceOf(SfAuthError)
    expect((bad as SfAuthError).errorCode).toBe('invalid_grant')
  })
})

describe('renewal', () => {
  it('renews once for many concurrent requests and retries each once (single flight)', async () => {
    const conn = await loggedIn()
    const before = conn.accessToken
    const events: [string, unknown][] = []
    conn.on('refresh', (token, res) => events.push([token, res]))
    env.emu.expireSessions()
    const results = await Promise.all(
      Array.from({ length: CONCURRENT_CALLERS }, () => conn.request('/services/data')),
    )
    expect(results).toHaveLength(CONCURRENT_CALLERS)
    expect(env.emu.count('token', 'password')).toBe(2)
    expect(conn.accessToken).not.toBe(before)
    expect(events).toHaveLength(1)
    expect(events[0]?.[0]).toBe(conn.accessToken)
    expect((events[0]?.[1] as { access_token?: string } | undefined)?.access_token).toBe(
      conn.accessToken,
    )
  })

  it('never loops: a retry that is still 401 rejects after one renewal', async () => {
    const conn = await loggedIn()
    let dataCalls = 0
    env.override(
      http.get(`${INSTANCE}/services/data`, () => {
        dataCalls++
        return HttpResponse.json(
          [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
          {
            status: 401,
          },
        )
      }),
    )
    const err = await rejection(conn.request('/services/data'))
    expect(err.errorCode).toBe('INVALID_SESSION_ID')
    expect(err.status).toBe(401)
    expect(dataCalls).toBe(2)
    expect(env.emu.count('token', 'password')).toBe(2)
  })

  it('does not renew on "This session is not valid for use with the REST API"', async () => {
    const conn = await loggedIn()
    env.override(
      http.get(`${INSTANCE}/services/data`, () =>
        HttpResponse.json(
          [
            {
              message: 'This session is not valid for use with the REST API',
              errorCode: 'INVALID_SESSION_ID',
            },
          ],
          { status: 401 },
        ),
      ),
    )
    const err = await rejection(conn.request('/services/data'))
    expect(err.message).toContain('not valid for use with the REST API')
    expect(env.emu.count('token', 'password')).toBe(1)
  })

  it('a failed renewal rejects every waiter with the OAuth code kept, after one token call', async () => {
    const conn = await loggedIn()
    env.emu.expireSessions()
    let tokenCalls = 0
    env.override(
      http.post('https://login.salesforce.com/services/oauth2/token', () => {
        tokenCalls++
        return HttpResponse.json(
          { error: 'invalid_grant', error_description: 'authentication failure' },
          { status: 400 },
        )
      }),
    )
    const outcomes = await Promise.allSettled(
      Array.from({ length: CONCURRENT_CALLERS }, () => conn.request('/services/data')),
    )
    expect(tokenCalls).toBe(1)
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected')
      const reason = (outcome as PromiseRejectedResult).reason as SfAuthError
      expect(reason).toBeInstanceOf(SfAuthError)
      expect(reason.errorCode).toBe('invalid_grant')
      expect(reason.status).toBe(400)
    }
  })

  it('a session that no flow can renew rejects with INVALID_SESSION_ID and says how to fix it', async () => {
    const conn = new Connection({ instanceUrl: INSTANCE, accessToken: '00Dexpired!token' })
    const err = await rejection(conn.request('/services/data'))
    expect(err.errorCode).toBe('INVALID_SESSION_ID')
    expect(err.status).toBe(401)
    expect(err.message).toMatch(/cannot renew/)
    expect(err.message).toMatch(/refresh token/)
  })

  it('renews a session restored from a store through flow.renewSession and saves the result', async () => {
    const saved: (Session | undefined)[] = []
    const seed = await loggedIn()
    const stored: Session = {
      accessToken: seed.accessToken as string,
      instanceUrl: seed.instanceUrl as string,
      kind: 'oauth2',
    }
    const renewer = passwordFlow()
    const store: Flow = {
      name: 'test-store',
      restore: async () => stored,
      persist: async (_ctx, session) => {
        saved.push(session)
      },
    }
    const renewing: Flow = {
      name: 'test-renew',
      renewSession: (ctx) => renewer.login?.(ctx, username, password),
    }
    const conn = new Connection({ oauth2: client, flows: [store, renewing] })
    env.emu.expireSessions()
    await conn.request('/services/data')
    expect(conn.accessToken).not.toBe(stored.accessToken)
    expect(saved.at(-1)?.accessToken).toBe(conn.accessToken)
  })
})

describe('sharing a store between processes', () => {
  function memoryStore(): { flow: () => Flow; saved: () => Session | undefined } {
    let value: Session | undefined
    return {
      saved: () => value,
      flow: () => ({
        name: 'test-store',
        restore: async () => value,
        persist: async (_ctx, session) => {
          value = session
        },
      }),
    }
  }

  it('adopts a session another process renewed instead of renewing again', async () => {
    const store = memoryStore()
    const renewer = passwordFlow()
    const renewing: Flow = {
      name: 'test-renew',
      renewSession: (ctx) => renewer.login?.(ctx, username, password),
    }
    const a = new Connection({ oauth2: client, flows: [store.flow(), passwordFlow()] })
    await a.login(username, password)
    const b = new Connection({ oauth2: client, flows: [store.flow(), renewing] })
    await b.request('/services/data')
    expect(b.accessToken).toBe(a.accessToken)

    env.emu.expireSession(a.accessToken as string)
    await a.request('/services/data')
    expect(store.saved()?.accessToken).toBe(a.accessToken)
    const tokenCalls = env.emu.count('token')

    await b.request('/services/data')
    expect(b.accessToken).toBe(a.accessToken)
    expect(env.emu.count('token')).toBe(tokenCalls)
  })
})

describe('identity', () => {
  it('fills userInfo from the userinfo endpoint', async () => {
    const conn = await loggedIn()
    const expected = conn.userInfo
    const claims = await conn.identity()
    expect(claims.user_id).toBe(expected?.id)
    expect(conn.userInfo?.organizationId).toBe(expected?.organizationId)
  })

  it('rejects an invalid, unrenewable session with Bad_OAuth_Token', async () => {
    const conn = new Connection({ instanceUrl: INSTANCE, accessToken: '00Dbad!token' })
    const err = await rejection(conn.identity())
    expect(err.errorCode).toBe('Bad_OAuth_Token')
    expect(err.status).toBe(403)
  })
})

describe('logout and dispatch', () => {
  it('invalidates the session on the server and clears it locally', async () => {
    const conn = await loggedIn()
    const token = conn.accessToken as string
    await conn.logout()
    expect(env.emu.isValidAccessToken(token)).toBe(false)
    expect(conn.accessToken).toBeUndefined()
    expect(conn.userInfo).toBeUndefined()
    expect(env.emu.count('revoke')).toBe(1)
  })

  it('names the package to register when no flow can do what was asked', async () => {
    const bare = new Connection()
    expect((await rejection(bare.login('u', 'p'))).message).toMatch(
      /@sfauth\/soap-login.*@sfauth\/oauth2/,
    )
    const jwt = await rejection(
      bare.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' }),
    )
    expect(jwt.errorCode).toBe('ERR_NO_FLOW')
    expect(jwt.message).toMatch(/@sfauth\/jwt/)
    expect((await rejection(bare.authorize('code123'))).message).toMatch(/@sfauth\/oauth2/)
    const withSession = new Connection({ instanceUrl: INSTANCE, accessToken: 't' })
    expect((await rejection(withSession.logout())).message).toMatch(/@sfauth\/session/)
  })

  it('rejects bad arguments with TypeErrors', async () => {
    const conn = new Connection({ flows: [passwordFlow()] })
    await expect(conn.login('', 'x')).rejects.toThrow(TypeError)
    await expect(conn.authorize({} as never)).rejects.toThrow(TypeError)
  })
})

describe('secrets', () => {
  it('toJSON, inspect and errors never show the password, client secret, refresh token or whole access token', async () => {
    const conn = await loggedIn({ refreshToken: undefined })
    const token = conn.accessToken as string
    const views = [JSON.stringify(conn), inspect(conn, { depth: 10 }), String(conn)]
    for (const view of views) {
      expect(view).not.toContain(password)
      expect(view).not.toContain(client.clientSecret)
      expect(view).not.toContain(token)
    }
    expect(JSON.parse(views[0] as string).instanceUrl).toBe(INSTANCE)
    const err = await rejection(conn.login(username, `${password}-wrong`))
    expect(err.message).not.toContain(password)
  })
})
