import { inspect } from 'node:util'
import { Connection, SfAuthError } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SESSION_KEY, session } from '../src/index.js'
import { newEmulator, passwordToken, QUERY, recordingStore, USER } from './helpers.js'

const emulator = useMswEmulator(newEmulator)

async function savedSession() {
  const token = await passwordToken()
  return {
    token,
    stored: {
      v: 1,
      accessToken: token.access_token,
      instanceUrl: token.instance_url,
      kind: 'oauth2',
    },
  }
}

describe('reading what a store gives back', () => {
  it('accepts the session as JSON text, as some drivers return it', async () => {
    const { token, stored } = await savedSession()
    const store = recordingStore({ [DEFAULT_SESSION_KEY]: JSON.stringify(stored) })
    const conn = new Connection({ flows: [session({ store })] })

    const claims = await conn.identity()

    expect(claims.preferred_username).toBe(USER.username)
    expect(conn.accessToken).toBe(token.access_token)
  })

  it.each([
    ['JSON that does not parse', '{"v":1,"accessToken":'],
    ['a number', 42],
    ['an array', [1, 2]],
    ['another app’s object', { user: 'someone', theme: 'dark' }],
    [
      'no version',
      {
        accessToken: 'x'.repeat(20),
        instanceUrl: 'https://acme.my.salesforce.com',
        kind: 'oauth2',
      },
    ],
    [
      'an unknown kind',
      {
        v: 1,
        accessToken: 'x'.repeat(20),
        instanceUrl: 'https://acme.my.salesforce.com',
        kind: 'saml',
      },
    ],
    [
      'an empty access token',
      { v: 1, accessToken: '', instanceUrl: 'https://acme.my.salesforce.com', kind: 'oauth2' },
    ],
    [
      'a plain-http instance',
      {
        v: 1,
        accessToken: 'x'.repeat(20),
        instanceUrl: 'http://acme.my.salesforce.com',
        kind: 'oauth2',
      },
    ],
    [
      'a lightning instance',
      {
        v: 1,
        accessToken: 'x'.repeat(20),
        instanceUrl: 'https://acme.lightning.force.com',
        kind: 'oauth2',
      },
    ],
    [
      'a malformed userInfo',
      {
        v: 1,
        accessToken: 'x'.repeat(20),
        instanceUrl: 'https://acme.my.salesforce.com',
        kind: 'oauth2',
        userInfo: 'me',
      },
    ],
    [
      'a non-numeric issuedAt',
      {
        v: 1,
        accessToken: 'x'.repeat(20),
        instanceUrl: 'https://acme.my.salesforce.com',
        kind: 'oauth2',
        issuedAt: 'now',
      },
    ],
  ])('ignores and clears %s, without crashing', async (_what, value) => {
    const store = recordingStore({ [DEFAULT_SESSION_KEY]: value })
    const conn = new Connection({ flows: [session({ store })] })

    const err = await conn.request(QUERY).catch((e: unknown) => e)

    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'ERR_NO_SESSION' })
    expect(store.data.has(DEFAULT_SESSION_KEY)).toBe(false)
    expect(emulator.emu.calls).toHaveLength(0)
  })

  it('leaves a value written by a newer version alone', async () => {
    const newer = { v: 2, tokens: { access: 'x' } }
    const store = recordingStore({ [DEFAULT_SESSION_KEY]: newer })
    const conn = new Connection({ flows: [session({ store })] })

    await expect(conn.request(QUERY)).rejects.toMatchObject({ errorCode: 'ERR_NO_SESSION' })
    expect(store.data.get(DEFAULT_SESSION_KEY)).toBe(newer)
  })

  it('does not restore a session of another org than the configured instanceUrl', async () => {
    const { stored } = await savedSession()
    const store = recordingStore({ [DEFAULT_SESSION_KEY]: stored })
    const conn = new Connection({
      instanceUrl: 'https://other-org.my.salesforce.com',
      flows: [session({ store })],
    })

    await expect(conn.request(QUERY)).rejects.toMatchObject({ errorCode: 'ERR_NO_SESSION' })
    expect(conn.accessToken).toBeUndefined()
    expect(store.data.get(DEFAULT_SESSION_KEY)).toBe(stored)
  })

  it('restores a session of the configured instanceUrl', async () => {
    const { token, stored } = await savedSession()
    const store = recordingStore({ [DEFAULT_SESSION_KEY]: stored })
    const conn = new Connection({ instanceUrl: token.instance_url, flows: [session({ store })] })

    await conn.request(QUERY)

    expect(conn.accessToken).toBe(token.access_token)
  })

  it('prefers a session passed in the options over the saved one', async () => {
    const { stored } = await savedSession()
    const other = await passwordToken()
    const store = recordingStore({ [DEFAULT_SESSION_KEY]: stored })
    const conn = new Connection({
      instanceUrl: other.instance_url,
      accessToken: other.access_token,
      flows: [session({ store })],
    })

    await conn.request(QUERY)

    expect(conn.accessToken).toBe(other.access_token)
  })
})

describe('what is written', () => {
  it('is only the session fields, even when a flow hangs more on the session object', async () => {
    const store = recordingStore()
    const token = await passwordToken()
    const leaky = {
      name: 'leaky-test-flow',
      grantTypes: ['leaky'],
      authorize: async () => ({
        session: {
          accessToken: token.access_token,
          instanceUrl: token.instance_url,
          kind: 'oauth2' as const,
          userInfo: { id: '005x', organizationId: '00Dx', url: token.id, password: 'hunter2' },
          password: 'hunter2',
          clientSecret: 'shh',
        },
        response: token,
      }),
    }
    const conn = new Connection({ flows: [leaky, session({ store })] })

    await conn.authorize({ grant_type: 'leaky' })

    expect(store.data.get(DEFAULT_SESSION_KEY)).toEqual({
      v: 1,
      accessToken: token.access_token,
      instanceUrl: token.instance_url,
      kind: 'oauth2',
      userInfo: { id: '005x', organizationId: '00Dx', url: token.id },
    })
  })
})

describe('store failures', () => {
  it('reject with SfAuthError ERR_STORE, with no token in the message', async () => {
    const { token, stored } = await savedSession()
    const broken = {
      getItem: async () => stored,
      setItem: async (_key: string, value: { accessToken: string }) => {
        throw new Error(`disk full while writing ${value.accessToken}`)
      },
      removeItem: async () => {},
    }
    const conn = new Connection({ flows: [session({ store: broken })] })

    const err = await conn.identity().catch((e: unknown) => e)

    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'ERR_STORE' })
    expect((err as Error).message).toMatch(/disk full/)
    expect((err as Error).message).not.toContain(token.access_token)
    // The cause is a scrubbed copy of the driver's error: its name and message, no token.
    expect((err as Error).cause).toMatchObject({
      name: 'Error',
      message: expect.stringMatching(/disk full/),
    })
    expect(inspect(err, { depth: 10, showHidden: true })).not.toContain(token.access_token)
  })

  it('a failed read rejects the call and is retried on the next one', async () => {
    const { stored } = await savedSession()
    let fail = true
    const flaky = {
      getItem: async () => {
        if (fail) throw new Error('connection reset')
        return stored
      },
      setItem: async () => {},
      removeItem: async () => {},
    }
    const conn = new Connection({ flows: [session({ store: flaky })] })

    await expect(conn.request(QUERY)).rejects.toMatchObject({
      errorCode: 'ERR_STORE',
      message: expect.stringMatching(/could not read sfauth:session: connection reset/),
    })
    fail = false
    await expect(conn.request(QUERY)).resolves.toBeDefined()
  })
})

describe('session() options', () => {
  it('rejects a store without the three methods', () => {
    const noRemove = { getItem: () => null, setItem: () => {} }
    expect(() => session({ store: noRemove as never })).toThrow(TypeError)
    expect(() => session({ store: noRemove as never })).toThrow(/getItem, setItem and removeItem/)
  })

  it('rejects an empty key', () => {
    expect(() => session({ key: '' })).toThrow(TypeError)
  })

  it('accepts an unstorage Storage as it is', () => {
    const flow = session({ store: createStorage({ driver: memoryDriver() }) })
    expect(flow.name).toBe('@sfauth/session')
    expect(typeof flow.restore).toBe('function')
    expect(typeof flow.persist).toBe('function')
  })

  it('without a store, saves and restores nothing and does not renew', () => {
    const flow = session()
    expect(flow.restore).toBeUndefined()
    expect(flow.persist).toBeUndefined()
    expect(flow.renewSession).toBeUndefined()
    expect(typeof flow.logout).toBe('function')
  })
})
