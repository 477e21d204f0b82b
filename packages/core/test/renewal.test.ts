import { describe, expect, it } from 'vitest'
import {
  createRenewal,
  isExpiredSession,
  type RenewalSteps,
  sendWithRenewal,
  singleFlight,
} from '../src/connection/renewal.js'
import { SfAuthError } from '../src/errors.js'
import type { FlowResult } from '../src/flow-types.js'

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

describe('singleFlight', () => {
  it('shares one run among concurrent callers and starts a new one after it settles', async () => {
    const gates = [deferred<number>(), deferred<number>()]
    let runs = 0
    const run = singleFlight(async () => gates[runs++]?.promise)
    const callers = Array.from({ length: 50 }, () => run())
    expect(runs).toBe(1)
    gates[0]?.resolve(7)
    expect(await Promise.all(callers)).toEqual(Array(50).fill(7))
    const next = run()
    expect(runs).toBe(2)
    gates[1]?.resolve(8)
    expect(await next).toBe(8)
  })

  it('lets every caller see a failure, then tries again on the next call', async () => {
    let runs = 0
    const run = singleFlight(async () => {
      runs++
      if (runs === 1) throw new Error('first fails')
      return 'ok'
    })
    const results = await Promise.allSettled([run(), run(), run()])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(await run()).toBe('ok')
    expect(runs).toBe(2)
  })
})

/** Fake steps around an in-memory token: no HTTP, no flow. */
function fakeSteps(overrides: Partial<RenewalSteps> = {}) {
  const log: string[] = []
  let token: string | undefined = 'old'
  let renewals = 0
  const steps: RenewalSteps = {
    currentToken: () => token,
    adoptNewer: async (current) => {
      log.push(`adopt?${current}`)
      return false
    },
    start: () => {
      renewals++
      log.push('start')
      return Promise.resolve({
        session: {
          accessToken: `new${renewals}`,
          instanceUrl: 'https://x.example',
          kind: 'oauth2',
        },
        response: {},
      } satisfies FlowResult)
    },
    commit: async (result) => {
      log.push(`commit ${result.session.accessToken}`)
      token = result.session.accessToken
    },
    cannotRenew: (cause) =>
      new SfAuthError(`cannot renew${cause ? `: ${cause.message}` : ''}`, {
        errorCode: cause?.errorCode ?? 'INVALID_SESSION_ID',
      }),
    ...overrides,
  }
  return { steps, log, token: () => token, setToken: (t: string) => (token = t) }
}

describe('createRenewal', () => {
  it('adopts first, then starts and commits exactly one renewal for concurrent callers', async () => {
    const { steps, log, token } = fakeSteps()
    const renew = createRenewal(steps)
    await Promise.all(Array.from({ length: 50 }, () => renew(expired())))
    expect(log).toEqual(['adopt?old', 'start', 'commit new1'])
    expect(token()).toBe('new1')
  })

  it('stops after adopting a newer saved session: no flow is asked', async () => {
    const { steps, log, setToken } = fakeSteps({
      adoptNewer: async () => {
        setToken('saved-by-another-process')
        return true
      },
    })
    await createRenewal(steps)(expired())
    expect(log).toEqual([])
  })

  it('rejects with cannotRenew (keeping the cause) when no flow can renew', async () => {
    const { steps } = fakeSteps({ start: () => undefined })
    const err = await createRenewal(steps)(expired()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect((err as SfAuthError).message).toBe('cannot renew: Session expired or invalid')
    expect((err as SfAuthError).errorCode).toBe('INVALID_SESSION_ID')
  })

  it('runs the adopt-or-renew step inside exclusive() when given (the cross-process lock seam)', async () => {
    const order: string[] = []
    const { steps, log } = fakeSteps({
      exclusive: async (step) => {
        order.push('lock')
        try {
          return await step()
        } finally {
          order.push('release')
        }
      },
    })
    const renew = createRenewal(steps)
    await Promise.all([renew(), renew()])
    expect(order).toEqual(['lock', 'release'])
    expect(log).toEqual(['adopt?old', 'start', 'commit new1'])
  })
})

describe('sendWithRenewal', () => {
  it('returns the first answer without renewing', async () => {
    let renewed = 0
    const out = await sendWithRenewal(
      { currentToken: () => 't1', renew: async () => void renewed++ },
      't1',
      async (token) => `sent with ${token}`,
    )
    expect(out).toBe('sent with t1')
    expect(renewed).toBe(0)
  })

  it('renews once on an expiry and retries once with the new token', async () => {
    let token = 't1'
    const sent: string[] = []
    const out = await sendWithRenewal(
      {
        currentToken: () => token,
        renew: async () => {
          token = 't2'
        },
      },
      't1',
      async (t) => {
        sent.push(t)
        if (t === 't1') throw expired()
        return 'ok'
      },
    )
    expect(out).toBe('ok')
    expect(sent).toEqual(['t1', 't2'])
  })

  it('never loops: a second expiry rejects as it is', async () => {
    let token = 't1'
    let renewed = 0
    const sent: string[] = []
    const err = await sendWithRenewal(
      {
        currentToken: () => token,
        renew: async () => {
          renewed++
          token = `t${renewed + 1}`
        },
      },
      't1',
      async (t) => {
        sent.push(t)
        throw expired()
      },
    ).catch((e: unknown) => e)
    expect(isExpiredSession(err)).toBe(true)
    expect(sent).toEqual(['t1', 't2'])
    expect(renewed).toBe(1)
  })

  it('does not renew again when a concurrent caller already did', async () => {
    let renewed = 0
    const out = await sendWithRenewal(
      { currentToken: () => 't2', renew: async () => void renewed++ },
      't1',
      async (t) => {
        if (t === 't1') throw expired()
        return t
      },
    )
    expect(out).toBe('t2')
    expect(renewed).toBe(0)
  })

  it('passes other errors through without renewing', async () => {
    let renewed = 0
    const boom = new SfAuthError('nope', { errorCode: 'INSUFFICIENT_ACCESS', status: 403 })
    const err = await sendWithRenewal(
      { currentToken: () => 't1', renew: async () => void renewed++ },
      't1',
      async () => {
        throw boom
      },
    ).catch((e: unknown) => e)
    expect(err).toBe(boom)
    expect(renewed).toBe(0)
  })

  it('uses the given expiry test (the conn.fetch() seam)', async () => {
    let token = 't1'
    const out = await sendWithRenewal(
      {
        currentToken: () => token,
        renew: async () => {
          token = 't2'
        },
      },
      't1',
      async (t) => {
        if (t === 't1') throw new SfAuthError('teapot', { errorCode: 'ERR_HTTP', status: 418 })
        return t
      },
      (err): err is SfAuthError => err instanceof SfAuthError && err.status === 418,
    )
    expect(out).toBe('t2')
  })
})

describe('createRenewal: the session changed meanwhile, or nothing answers', () => {
  it('drops a result that lands after the epoch changed (a logout, another login): no commit', async () => {
    let epoch = 0
    const gate = deferred<FlowResult>()
    const { steps, log } = fakeSteps({ epoch: () => epoch, start: () => gate.promise })
    const renewing = createRenewal(steps)(expired())
    await new Promise((r) => setTimeout(r, 0))
    epoch++ // the connection logged out while the flow was renewing
    gate.resolve({
      session: { accessToken: 'late', instanceUrl: 'https://x.example', kind: 'oauth2' },
      response: {},
    })
    await renewing
    expect(log).toEqual(['adopt?old'])
  })

  it('asks no flow when the session changed while the store answered', async () => {
    let epoch = 0
    const { steps, log } = fakeSteps({
      epoch: () => epoch,
      adoptNewer: async () => {
        epoch++
        return false
      },
    })
    await createRenewal(steps)(expired())
    expect(log).toEqual([])
  })

  it('a hung flow or store rejects with ERR_TIMEOUT after the deadline; the next call starts afresh', async () => {
    let starts = 0
    const { steps, log } = fakeSteps({
      deadline: 30,
      start: () => {
        starts++
        return starts === 1 ? new Promise<FlowResult>(() => {}) : undefined
      },
    })
    const renew = createRenewal(steps)
    const first = await renew(expired()).catch((e: unknown) => e)
    expect((first as SfAuthError).errorCode).toBe('ERR_TIMEOUT')
    // Not stuck behind the hung run: a second renewal is a new one.
    const second = await renew(expired()).catch((e: unknown) => e)
    expect((second as SfAuthError).errorCode).toBe('INVALID_SESSION_ID')
    expect(log).not.toContain('commit')

    const hungStore = fakeSteps({ deadline: 30, adoptNewer: () => new Promise(() => {}) })
    const err = await createRenewal(hungStore.steps)(expired()).catch((e: unknown) => e)
    expect((err as SfAuthError).errorCode).toBe('ERR_TIMEOUT')
  })
})
