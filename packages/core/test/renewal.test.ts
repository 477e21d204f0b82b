import { describe, expect, it } from 'vitest'
import { isExpiredSession, Renewal } from '../src/connection/renewal.js'
import { SessionState } from '../src/connection/session-state.js'
import { StoreSync } from '../src/connection/store-sync.js'
import { SfAuthError } from '../src/errors.js'
import type { Flow, FlowContext, FlowResult } from '../src/flow-types.js'
import type { Session } from '../src/types.js'

const expired = () =>
  new SfAuthError('Session expired or invalid', { errorCode: 'INVALID_SESSION_ID', status: 401 })

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (err: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('isExpiredSession', () => {
  it('is true for 401 INVALID_SESSION_ID and 403 Bad_OAuth_Token', () => {
    expect(isExpiredSession(expired())).toBe(true)
    expect(
      isExpiredSession(new SfAuthError('bad', { errorCode: 'Bad_OAuth_Token', status: 403 })),
    ).toBe(true)
  })
  it('is false for the REST-API 401 a renewal cannot cure, other codes and plain errors', () => {
    const restApi = new SfAuthError('This session is not valid for use with the REST API', {
      errorCode: 'INVALID_SESSION_ID',
      status: 401,
    })
    expect(isExpiredSession(restApi)).toBe(false)
    expect(isExpiredSession(new SfAuthError('x', { errorCode: 'INVALID_SESSION_ID' }))).toBe(false)
    expect(isExpiredSession(new SfAuthError('x', { errorCode: 'ERR_HTTP', status: 401 }))).toBe(
      false,
    )
    expect(isExpiredSession(new Error('INVALID_SESSION_ID'))).toBe(false)
  })
})

/** The pieces a renewal reads, over an in-memory token: no HTTP, a fake flow and store. */
interface Fakes {
  /** What the store holds when asked (another process's session), or a promise of it. */
  restore?: () => Promise<Session | undefined>
  /** What the flow's renewal gives; `undefined` when it cannot renew. */
  start?: () => Promise<FlowResult> | undefined
  coordinateRenewal?: Flow['coordinateRenewal']
  deadline?: number
}

const session = (accessToken: string): Session => ({
  accessToken,
  instanceUrl: 'https://x.example',
  kind: 'oauth2',
})

function fakeRenewal(fakes: Fakes = {}) {
  const log: string[] = []
  let renewals = 0
  const state = new SessionState(session('old'))
  const flow: Flow = {
    name: 'fake',
    restore: async () => {
      log.push(`adopt?${state.fields.accessToken}`)
      return fakes.restore ? fakes.restore() : undefined
    },
    renewSession: () => {
      if (fakes.start) return fakes.start()
      renewals++
      log.push('start')
      return Promise.resolve({ session: session(`new${renewals}`), response: {} })
    },
    ...(fakes.coordinateRenewal ? { coordinateRenewal: fakes.coordinateRenewal } : {}),
  }
  const host = { flows: [flow], state, ctx: () => ({ session: state.session() }) as FlowContext }
  const store = new StoreSync(host)
  const listeners = {
    refresh: (token: string) => log.push(`commit ${token}`),
    error: (err: unknown) => log.push(`error ${String(err)}`),
  }
  const renewal = new Renewal(host, store, () => listeners, fakes.deadline)
  return { renewal, state, log, token: () => state.fields.accessToken }
}

describe('Renewal.run', () => {
  it('adopts first, then starts and commits exactly one renewal for concurrent callers', async () => {
    const { renewal, log, token } = fakeRenewal()
    await Promise.all(Array.from({ length: 50 }, () => renewal.run(expired())))
    expect(log).toEqual(['adopt?old', 'start', 'commit new1'])
    expect(token()).toBe('new1')
  })

  it('stops after adopting a newer saved session: no flow is asked', async () => {
    const { renewal, log, token } = fakeRenewal({
      restore: async () => session('saved-by-another-process'),
    })
    await renewal.run(expired())
    // The listeners learn the adopted token; no flow was asked.
    expect(log).toEqual(['adopt?old', 'commit saved-by-another-process'])
    expect(token()).toBe('saved-by-another-process')
  })

  it('rejects with the cannot-renew error (keeping the cause) when no flow can renew', async () => {
    const { renewal } = fakeRenewal({ start: () => undefined })
    const err = await renewal.run(expired()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect((err as SfAuthError).message).toMatch(
      /^Session expired or invalid\. This connection cannot renew the session: register/,
    )
    expect((err as SfAuthError).errorCode).toBe('INVALID_SESSION_ID')
  })

  it("runs the adopt-or-renew step inside the flow's coordinateRenewal (the cross-process lock)", async () => {
    const order: string[] = []
    const { renewal, log } = fakeRenewal({
      coordinateRenewal: async (_ctx, step) => {
        order.push('lock')
        try {
          return await step()
        } finally {
          order.push('release')
        }
      },
    })
    await Promise.all([renewal.run(), renewal.run()])
    expect(order).toEqual(['lock', 'release'])
    expect(log).toEqual(['adopt?old', 'start', 'commit new1'])
  })
})

describe('Renewal.retryToken (the retry-once rule)', () => {
  it('renews once on an expiry and gives the new token', async () => {
    const { renewal, log } = fakeRenewal()
    expect(await renewal.retryToken(expired(), 'old', undefined)).toBe('new1')
    expect(log).toEqual(['adopt?old', 'start', 'commit new1'])
  })

  it('does not renew again when a concurrent caller already did', async () => {
    const { renewal, log, state } = fakeRenewal()
    state.adopt(session('renewed-meanwhile'))
    expect(await renewal.retryToken(expired(), 'old', undefined)).toBe('renewed-meanwhile')
    expect(log).toEqual([])
  })

  it('passes other errors through without renewing', async () => {
    const { renewal, log } = fakeRenewal()
    const boom = new SfAuthError('nope', { errorCode: 'INSUFFICIENT_ACCESS', status: 403 })
    expect(await renewal.retryToken(boom, 'old', undefined).catch((e: unknown) => e)).toBe(boom)
    expect(log).toEqual([])
  })

  it('rejects with the expiry itself when the renewal left no token (a logout meanwhile)', async () => {
    const { renewal, state } = fakeRenewal({
      start: () => {
        state.clear()
        return Promise.resolve({ session: session('dropped'), response: {} })
      },
    })
    const err = expired()
    const got = await renewal.retryToken(err, 'old', undefined).catch((e: unknown) => e)
    expect(got).toBe(err)
  })

  it('uses the given expiry test (the conn.fetch() seam)', async () => {
    const { renewal } = fakeRenewal()
    const teapot = new SfAuthError('teapot', { errorCode: 'ERR_HTTP', status: 418 })
    const is418 = (err: unknown): err is SfAuthError =>
      err instanceof SfAuthError && err.status === 418
    expect(await renewal.retryToken(teapot, 'old', undefined, is418)).toBe('new1')
  })
})

describe('Renewal.run: the session changed meanwhile, or nothing answers', () => {
  it('drops a result that lands after the epoch changed (a logout, another login): no commit', async () => {
    const gate = deferred<FlowResult>()
    const { renewal, state, log } = fakeRenewal({ start: () => gate.promise })
    const renewing = renewal.run(expired())
    await new Promise((r) => setTimeout(r, 0))
    state.clear() // the connection logged out while the flow was renewing
    gate.resolve({ session: session('late'), response: {} })
    await renewing
    expect(log).toEqual(['adopt?old'])
    expect(state.fields.accessToken).toBeUndefined()
  })

  it('asks no flow when the session changed while the store answered', async () => {
    let clear = () => {}
    const { renewal, log, state } = fakeRenewal({
      restore: async () => {
        clear()
        return undefined
      },
    })
    clear = () => state.clear()
    await renewal.run(expired())
    expect(log).toEqual(['adopt?old'])
  })

  it('a hung flow or store rejects with ERR_TIMEOUT after the deadline; the next call starts afresh', async () => {
    let starts = 0
    const { renewal, log } = fakeRenewal({
      deadline: 30,
      start: () => {
        starts++
        return starts === 1 ? new Promise<FlowResult>(() => {}) : undefined
      },
    })
    const first = await renewal.run(expired()).catch((e: unknown) => e)
    expect((first as SfAuthError).errorCode).toBe('ERR_TIMEOUT')
    // Not stuck behind the hung run: a second renewal is a new one.
    const second = await renewal.run(expired()).catch((e: unknown) => e)
    expect((second as SfAuthError).errorCode).toBe('INVALID_SESSION_ID')
    expect(log.some((line) => line.startsWith('commit'))).toBe(false)

    const hungStore = fakeRenewal({ deadline: 30, restore: () => new Promise(() => {}) })
    const err = await hungStore.renewal.run(expired()).catch((e: unknown) => e)
    expect((err as SfAuthError).errorCode).toBe('ERR_TIMEOUT')
  })
})
