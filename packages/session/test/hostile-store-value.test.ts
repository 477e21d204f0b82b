import { inspect } from 'node:util'
import { Connection } from '@sfauth/core'
import { rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it } from 'vitest'
import { session } from '../src/index.js'
import { newEmulator, passwordToken, QUERY } from './helpers.js'

useMswEmulator(newEmulator)

async function storeGiving(value: () => unknown) {
  const removed: string[] = []
  const store = {
    getItem: async () => value(),
    setItem: async () => {},
    removeItem: async (key: string) => {
      removed.push(key)
    },
  }
  return { store, removed }
}

describe('a stored value that throws while it is read (a store is untrusted input)', () => {
  it('a throwing getter rejects with SfAuthError ERR_STORE, quoting nothing it said', async () => {
    const token = await passwordToken()
    const { store, removed } = await storeGiving(() => ({
      v: 1,
      instanceUrl: token.instance_url,
      kind: 'oauth2',
      get accessToken(): string {
        throw new TypeError(`cannot decrypt ${token.access_token}`)
      },
    }))
    const conn = new Connection({ flows: [session({ store })] })
    const err = await rejection(conn.request(QUERY))
    expect(err.errorCode).toBe('ERR_STORE')
    expect(err.message).toMatch(/reading one of its fields threw \(TypeError\)/)
    for (const view of [err.message, JSON.stringify(err), inspect(err, { depth: 10 })]) {
      expect(view).not.toContain(token.access_token)
    }
    // A value we could not read is not ours to delete.
    expect(removed).toEqual([])
  })

  it('a revoked proxy, a throwing nested userInfo and a non-Error throw are SfAuthErrors too', async () => {
    const token = await passwordToken()
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    const values: (() => unknown)[] = [
      () => proxy,
      () => ({
        v: 1,
        accessToken: token.access_token,
        instanceUrl: token.instance_url,
        kind: 'oauth2',
        userInfo: {
          get id(): string {
            throw new Error('boom')
          },
        },
      }),
      () =>
        new Proxy(
          {},
          {
            get() {
              throw 'a string'
            },
          },
        ),
    ]
    for (const value of values) {
      const { store } = await storeGiving(value)
      const err = await rejection(new Connection({ flows: [session({ store })] }).request(QUERY))
      expect(err.errorCode).toBe('ERR_STORE')
    }
  })

  it('a getter that answers differently on each read is read once: the session is what it said first', async () => {
    const token = await passwordToken()
    let reads = 0
    const { store } = await storeGiving(() => ({
      v: 1,
      kind: 'oauth2',
      accessToken: token.access_token,
      get instanceUrl(): string {
        reads++
        return reads === 1 ? token.instance_url : 'http://evil.example'
      },
    }))
    const conn = new Connection({ flows: [session({ store })] })
    await conn.request(QUERY)
    expect(conn.instanceUrl).toBe(token.instance_url)
    expect(reads).toBe(1)
  })
})
