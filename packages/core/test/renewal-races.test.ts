import { rejection } from '@sfauth/test-kit'
import { describe, expect, it } from 'vitest'
import type { Flow, FlowResult, Session } from '../src/flow.js'
import { Connection } from '../src/index.js'

/**
 * A renewal must neither outlive the session it was for nor fail a request it does not concern,
 * written as the attack: hostile timing around a renewal (a logout or another login while it is
 * pending), a store that fails to save it, a 'refresh' listener that throws, and a caller who
 * gives up while a renewal or a store read hangs.
 */

const INSTANCE = 'https://acme.my.salesforce.com'

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((res) => {
    resolve = res
  })
  return { promise, resolve }
}

/** The instance: a token in `valid` gets `{ ok: token }`, any other a 401 INVALID_SESSION_ID. */
function instance(valid: Set<string>) {
  const seen: string[] = []
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init)
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? ''
    seen.push(token)
    if (new URL(request.url).pathname.endsWith('/oauth2/revoke')) return new Response(null)
    return valid.has(token)
      ? Response.json({ ok: token })
      : Response.json(
          [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }],
          {
            status: 401,
          },
        )
  }
  return { fetch, seen }
}

const session = (accessToken: string, refreshToken?: string): Session => ({
  accessToken,
  instanceUrl: INSTANCE,
  kind: 'oauth2',
  ...(refreshToken ? { refreshToken } : {}),
  userInfo: { id: `005${accessToken}`, organizationId: '00D', url: `${INSTANCE}/id/00D/005` },
})

/** A flow whose renewals wait on gates the test opens, and that records what it persists. */
function scriptedFlow(options: { persist?: (s: Session | undefined) => Promise<void> } = {}) {
  const renewals: { resolve: (r: FlowResult) => void }[] = []
  const persisted: (Session | undefined)[] = []
  const flow: Flow = {
    name: 'scripted',
    login: async (_ctx, user) => ({ session: session(`token-of-${user}`), response: {} }),
    renewSession: () => {
      const gate = deferred<FlowResult>()
      renewals.push(gate)
      return gate.promise
    },
    logout: async () => {},
    persist: async (_ctx, s) => {
      persisted.push(s)
      await options.persist?.(s)
    },
  }
  return { flow, renewals, persisted }
}

const tick = () => new Promise((r) => setTimeout(r, 5))

describe('a renewal that lands after the session changed is dropped', () => {
  it('logout() while a renewal is pending wins: the connection and the store stay logged out', async () => {
    const { fetch } = instance(new Set(['renewed']))
    const { flow, renewals, persisted } = scriptedFlow()
    const conn = new Connection({
      fetch,
      accessToken: 'expired',
      instanceUrl: INSTANCE,
      flows: [flow],
    })
    const refreshed: string[] = []
    conn.on('refresh', (token) => refreshed.push(token))
    const pending = conn.request('limits').catch((e: unknown) => e)
    await tick()
    expect(renewals).toHaveLength(1)
    await conn.logout()
    renewals[0]?.resolve({ session: session('renewed', 'rotated-refresh'), response: {} })
    const err = await pending
    expect(conn.accessToken).toBeUndefined()
    expect(conn.refreshToken).toBeUndefined()
    expect(persisted.at(-1)).toBeUndefined()
    expect(persisted.some((s) => s?.accessToken === 'renewed')).toBe(false)
    expect(refreshed).toEqual([])
    expect((err as { errorCode?: string }).errorCode).toBe('INVALID_SESSION_ID')
  })

  it('login() as another user during a renewal keeps the new user session, and the waiting request uses it', async () => {
    const { fetch, seen } = instance(new Set(['renewed', 'token-of-bob']))
    const { flow, renewals, persisted } = scriptedFlow()
    const conn = new Connection({
      fetch,
      accessToken: 'expired',
      instanceUrl: INSTANCE,
      flows: [flow],
    })
    const pending = conn.request<{ ok: string }>('limits')
    await tick()
    await conn.login('bob', 'pw')
    renewals[0]?.resolve({ session: session('renewed'), response: {} })
    expect(await pending).toEqual({ ok: 'token-of-bob' })
    expect(conn.accessToken).toBe('token-of-bob')
    expect(persisted.at(-1)?.accessToken).toBe('token-of-bob')
    expect(seen).not.toContain('renewed')
  })
})

describe('a store that fails to save a renewal, a listener that throws', () => {
  it('the request succeeds, refresh fires with the rotated token, the store error goes to error listeners', async () => {
    const { fetch } = instance(new Set(['renewed']))
    const storeDown = new Error('store down')
    const { flow, renewals } = scriptedFlow({
      persist: async (s) => {
        if (s?.accessToken === 'renewed') throw storeDown
      },
    })
    const conn = new Connection({
      fetch,
      accessToken: 'expired',
      instanceUrl: INSTANCE,
      flows: [flow],
    })
    const refreshed: unknown[] = []
    const errors: unknown[] = []
    conn.on('refresh', (token, res) => refreshed.push([token, res.refresh_token]))
    conn.on('error', (err) => errors.push(err))
    const pending = conn.request('limits')
    await tick()
    renewals[0]?.resolve({
      session: session('renewed', 'rotated'),
      response: { access_token: 'renewed', refresh_token: 'rotated' },
    })
    expect(await pending).toEqual({ ok: 'renewed' })
    expect(refreshed).toEqual([['renewed', 'rotated']])
    expect(errors).toEqual([storeDown])
  })

  it('a refresh listener that throws fails no request and crashes nothing; an error listener that throws is ignored', async () => {
    const uncaught: unknown[] = []
    const onUncaught = (err: unknown) => uncaught.push(err)
    process.on('uncaughtException', onUncaught)
    try {
      const { fetch } = instance(new Set(['renewed']))
      const { flow, renewals } = scriptedFlow()
      const conn = new Connection({
        fetch,
        accessToken: 'expired',
        instanceUrl: INSTANCE,
        flows: [flow],
      })
      const bug = new Error('listener bug')
      const errors: unknown[] = []
      conn.on('refresh', () => {
        throw bug
      })
      conn.on('error', (err) => {
        errors.push(err)
        throw new Error('the error listener is broken too')
      })
      const pending = conn.request('limits')
      await tick()
      renewals[0]?.resolve({ session: session('renewed'), response: {} })
      expect(await pending).toEqual({ ok: 'renewed' })
      await new Promise((r) => setTimeout(r, 20))
      expect(errors).toEqual([bug])
      expect(uncaught).toEqual([])
    } finally {
      process.off('uncaughtException', onUncaught)
    }
  })
})

describe("the caller's AbortSignal while a renewal or a store read is pending", () => {
  it('a pending renewal: the caller who aborts gets ERR_ABORTED at once; the others still get the renewal', async () => {
    const { fetch } = instance(new Set(['renewed']))
    const { flow, renewals } = scriptedFlow()
    const conn = new Connection({
      fetch,
      accessToken: 'expired',
      instanceUrl: INSTANCE,
      flows: [flow],
    })
    const controller = new AbortController()
    const aborting = conn.request('limits', { signal: controller.signal })
    const patient = conn.request('limits')
    await tick()
    controller.abort()
    const err = await rejection(aborting)
    expect(err.errorCode).toBe('ERR_ABORTED')
    renewals[0]?.resolve({ session: session('renewed'), response: {} })
    expect(await patient).toEqual({ ok: 'renewed' })
  })

  it('conn.fetch() waiting for a renewal rejects with the signal reason, as fetch does', async () => {
    const { fetch } = instance(new Set(['renewed']))
    const { flow, renewals } = scriptedFlow()
    const conn = new Connection({
      fetch,
      accessToken: 'expired',
      instanceUrl: INSTANCE,
      flows: [flow],
    })
    const controller = new AbortController()
    const pending = conn.fetch('limits', { signal: controller.signal }).catch((e: unknown) => e)
    await tick()
    expect(renewals).toHaveLength(1)
    const reason = new Error('the caller gave up')
    controller.abort(reason)
    expect(await pending).toBe(reason)
    renewals[0]?.resolve({ session: session('renewed'), response: {} })
  })

  it('a hung store read on first use: the caller who aborts gets ERR_ABORTED', async () => {
    const { fetch } = instance(new Set(['restored']))
    const flow: Flow = { name: 'hung-store', restore: () => new Promise(() => {}) }
    const conn = new Connection({ fetch, flows: [flow] })
    const controller = new AbortController()
    const pending = conn.request('limits', { signal: controller.signal })
    await tick()
    controller.abort()
    expect((await rejection(pending)).errorCode).toBe('ERR_ABORTED')
  })
})
