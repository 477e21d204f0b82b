import { describe, expect, it } from 'vitest'
import {
  byOrigin,
  cannotRenew,
  grantFlow,
  grantParams,
  isFlow,
  loginFlow,
  startLogout,
  startRenewal,
} from '../src/connection/dispatch.js'
import { SfAuthError } from '../src/errors.js'
import type { Flow, FlowContext, FlowResult } from '../src/flow-types.js'
import type { Session } from '../src/types.js'

const ctx = {} as FlowContext
const session: Session = { accessToken: 't', instanceUrl: 'https://x.example', kind: 'oauth2' }
const result = (token: string): FlowResult => ({
  session: { ...session, accessToken: token },
  response: {},
})

function caught(fn: () => unknown): SfAuthError {
  try {
    fn()
  } catch (err) {
    if (err instanceof SfAuthError) return err
    throw err
  }
  throw new Error('expected a throw')
}

describe('isFlow', () => {
  it('wants a name and at least one flow member', () => {
    expect(isFlow({ name: 'a', login: async () => result('x') })).toBe(true)
    expect(isFlow({ name: 'a', renewSession: () => undefined })).toBe(true)
    expect(isFlow({ name: 'a' })).toBe(false)
    expect(isFlow({ login: async () => result('x') })).toBe(false)
    expect(isFlow({ name: 'a', renew: () => undefined })).toBe(false)
    expect(isFlow(null)).toBe(false)
    expect(isFlow('soapLogin')).toBe(false)
  })
})

describe('byOrigin', () => {
  it('puts the flow that made the session first and keeps the others in order', () => {
    const [a, b, c] = [{ name: 'a' }, { name: 'b' }, { name: 'c' }] as Flow[]
    expect(byOrigin([a, b, c] as Flow[], c).map((f) => f.name)).toEqual(['c', 'a', 'b'])
    expect(byOrigin([a, b, c] as Flow[], undefined).map((f) => f.name)).toEqual(['a', 'b', 'c'])
  })
})

describe('loginFlow and grantFlow', () => {
  const jwt: Flow = { name: 'jwt', grantTypes: ['urn:x'], authorize: async () => result('j') }
  const soap: Flow = { name: 'soap', login: async () => result('s') }

  it('find the first flow that can', () => {
    expect(loginFlow([jwt, soap]).name).toBe('soap')
    expect(grantFlow([soap, jwt], 'urn:x').name).toBe('jwt')
  })

  it('reject with ERR_NO_FLOW naming the package to register', () => {
    const noLogin = caught(() => loginFlow([jwt]))
    expect(noLogin.errorCode).toBe('ERR_NO_FLOW')
    expect(noLogin.message).toMatch(/@sfauth\/soap-login.*@sfauth\/oauth2/)
    const noGrant = caught(() => grantFlow([soap], 'client_credentials'))
    expect(noGrant.errorCode).toBe('ERR_NO_FLOW')
    expect(noGrant.message).toMatch(/register @sfauth\/client-credentials/)
    expect(caught(() => grantFlow([soap], 'urn:unknown')).message).toBe(
      'No registered flow handles grant_type urn:unknown',
    )
  })
})

describe('grantParams', () => {
  it('turns a code into the authorization code grant, extra params kept', () => {
    expect(grantParams('abc', { code_verifier: 'v' })).toEqual({
      code_verifier: 'v',
      grant_type: 'authorization_code',
      code: 'abc',
    })
    expect(grantParams({ grant_type: 'urn:x', assertion: 'a' }, undefined)).toEqual({
      grant_type: 'urn:x',
      assertion: 'a',
    })
  })
  it('refuses an empty code or params without grant_type', () => {
    expect(() => grantParams('', undefined)).toThrow(TypeError)
    expect(() => grantParams({} as never, undefined)).toThrow(/grant_type/)
  })
})

describe('startRenewal', () => {
  it("asks the session's own renewThis first", async () => {
    const flow: Flow = { name: 'a', renewSession: async () => result('by-flow') }
    const pending = startRenewal([flow], async () => result('this'), ctx, session)
    expect((await pending)?.session.accessToken).toBe('this')
  })
  it('then the first flow whose renewSession can', async () => {
    const cannot: Flow = { name: 'a', renewSession: () => undefined }
    const can: Flow = { name: 'b', renewSession: async (_c, s) => result(`${s.accessToken}+1`) }
    expect((await startRenewal([cannot, can], undefined, ctx, session))?.session.accessToken).toBe(
      't+1',
    )
  })
  it('returns undefined when nothing can renew', () => {
    expect(
      startRenewal([{ name: 'a', renewSession: () => undefined }], undefined, ctx, session),
    ).toBe(undefined)
  })
})

describe('startLogout', () => {
  it('uses the first flow that can and rejects with ERR_NO_FLOW when none can', async () => {
    const ended: string[] = []
    const cannot: Flow = { name: 'a', logout: () => undefined }
    const can: Flow = { name: 'b', logout: async (_c, s) => void ended.push(s.accessToken) }
    await startLogout([cannot, can], ctx, session)
    expect(ended).toEqual(['t'])
    expect(caught(() => startLogout([cannot], ctx, session)).errorCode).toBe('ERR_NO_FLOW')
  })
})

describe('cannotRenew', () => {
  it("keeps the expiry's code, status and message, and says what to register", () => {
    const cause = new SfAuthError('Session expired', {
      errorCode: 'INVALID_SESSION_ID',
      status: 401,
    })
    const err = cannotRenew(cause)
    expect(err.errorCode).toBe('INVALID_SESSION_ID')
    expect(err.status).toBe(401)
    expect(err.cause).toBe(cause)
    expect(err.message).toMatch(
      /^Session expired\. This connection cannot renew the session: register/,
    )
    expect(cannotRenew(undefined).message).toMatch(/^The connection has no access token\./)
  })
})
