import { describe, expect, it } from 'vitest'
import { SessionState } from '../src/connection/session-state.js'
import { StoreSync } from '../src/connection/store-sync.js'
import type { Flow, FlowContext } from '../src/flow-types.js'
import { Connection, type SfAuthError } from '../src/index.js'
import type { Session } from '../src/types.js'

const saved = (token: string): Session => ({
  accessToken: token,
  instanceUrl: 'https://acme.my.salesforce.com',
  kind: 'oauth2',
})

/** A store flow over an in-memory value: no HTTP. */
function memoryFlow(initial: Session | undefined) {
  let value = initial
  let reads = 0
  const writes: (string | undefined)[] = []
  const flow: Flow = {
    name: 'memory',
    restore: async () => {
      reads++
      return value
    },
    persist: async (_ctx, session) => {
      writes.push(session?.accessToken)
      value = session
    },
  }
  return {
    flow,
    writes,
    reads: () => reads,
    set: (s: Session | undefined) => {
      value = s
    },
  }
}

function storeWith(flows: Flow[], state = new SessionState()) {
  const store = new StoreSync({
    flows,
    ctx: () => ({ session: state.session() }) as FlowContext,
    state,
  })
  return { store, state }
}

describe('StoreSync', () => {
  it('restores a saved session on first use only, once for concurrent callers', async () => {
    const mem = memoryFlow(saved('saved'))
    const { store, state } = storeWith([mem.flow])
    await Promise.all([store.ready(), store.ready(), store.ready()])
    expect(state.fields.accessToken).toBe('saved')
    await store.ready()
    expect(mem.reads()).toBe(1)
  })

  it('does not restore over a session given in the options', async () => {
    const mem = memoryFlow(saved('saved'))
    const { store, state } = storeWith(
      [mem.flow],
      new SessionState({ accessToken: 'given', instanceUrl: 'https://x.example' }),
    )
    await store.ready()
    expect(state.fields.accessToken).toBe('given')
    expect(mem.reads()).toBe(0)
  })

  it('tries the restore again after it failed', async () => {
    let calls = 0
    const flaky: Flow = {
      name: 'flaky',
      restore: async () => {
        calls++
        if (calls === 1) throw new Error('store down')
        return saved('second')
      },
    }
    const { store, state } = storeWith([flaky])
    await expect(store.ready()).rejects.toThrow('store down')
    await store.ready()
    expect(state.fields.accessToken).toBe('second')
  })

  it('persists the current session to every flow, and undefined once cleared', async () => {
    const a = memoryFlow(undefined)
    const b = memoryFlow(undefined)
    const { store, state } = storeWith([a.flow, b.flow])
    state.adopt(saved('now'))
    await store.persist()
    state.clear()
    await store.persist()
    expect(a.writes).toEqual(['now', undefined])
    expect(b.writes).toEqual(['now', undefined])
  })

  it('adopts a saved session newer than the current token, not the same one', async () => {
    const mem = memoryFlow(saved('old'))
    const { store, state } = storeWith([mem.flow], new SessionState(saved('old')))
    expect(await store.adoptNewer('old')).toBe(false)
    mem.set(saved('rotated-by-another-process'))
    expect(await store.adoptNewer('old')).toBe(true)
    expect(state.fields.accessToken).toBe('rotated-by-another-process')
  })

  it('lets a session that changed while the store answered win over the saved one', async () => {
    const state = new SessionState(saved('old'))
    const racing: Flow = {
      name: 'racing',
      restore: async () => {
        state.adopt(saved('logged-in-meanwhile'))
        return saved('saved')
      },
    }
    const { store } = storeWith([racing], state)
    expect(await store.adoptNewer('old')).toBe(false)
    expect(state.fields.accessToken).toBe('logged-in-meanwhile')
  })
})

describe('a restored session follows the instance URL rule (a store is not trusted more than a server)', () => {
  const restoring = (instanceUrl: string): Flow => ({
    name: 'hostile-store',
    restore: async () => ({ accessToken: '00D!restored-token', instanceUrl, kind: 'oauth2' }),
  })

  it.each(['http://127.0.0.1:6379', 'http://localhost:8080'])(
    'an https login never sends the token to a restored %s',
    async (instanceUrl) => {
      const sent: string[] = []
      const fetch: typeof globalThis.fetch = async (input) => {
        sent.push(String(input))
        return Response.json({})
      }
      const conn = new Connection({ fetch, flows: [restoring(instanceUrl)] })
      const err = await conn.request('limits').catch((e: unknown) => e)
      expect((err as SfAuthError).errorCode).toBe('ERR_INSECURE_URL')
      expect(sent).toEqual([])
      expect(conn.accessToken).toBeUndefined()
    },
  )

  it('a loopback http login (the emulator) may restore a loopback http instance', async () => {
    const fetch: typeof globalThis.fetch = async () => Response.json({ ok: 1 })
    const conn = new Connection({
      fetch,
      loginUrl: 'http://127.0.0.1:7000',
      flows: [restoring('http://127.0.0.1:7001')],
    })
    await expect(conn.request('limits')).resolves.toEqual({ ok: 1 })
  })
})

describe('a restored session and the instance URL the caller gave', () => {
  it('a loopback instance URL given in the options may be restored with an https login: the token goes nowhere new', async () => {
    const fetch: typeof globalThis.fetch = async () => Response.json({ ok: 1 })
    const conn = new Connection({
      fetch,
      instanceUrl: 'http://127.0.0.1:7001',
      flows: [
        {
          name: 'store',
          restore: async () => ({
            accessToken: '00D!restored',
            instanceUrl: 'http://127.0.0.1:7001',
            kind: 'oauth2',
          }),
        },
      ],
    })
    await expect(conn.request('limits')).resolves.toEqual({ ok: 1 })
    const other = new Connection({
      fetch,
      instanceUrl: 'http://127.0.0.1:7001',
      flows: [
        {
          name: 'store',
          restore: async () => ({
            accessToken: '00D!restored',
            instanceUrl: 'http://127.0.0.1:6379',
            kind: 'oauth2',
          }),
        },
      ],
    })
    expect(
      ((await other.request('limits').catch((e: unknown) => e)) as SfAuthError).errorCode,
    ).toBe('ERR_INSECURE_URL')
  })
})
