import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { SessionState, safeView } from '../src/connection/session-state.js'
import type { Flow, FlowResult } from '../src/flow-types.js'

const flow: Flow = { name: 'test-flow', login: async () => result('a') }
function result(token: string, extra: Partial<FlowResult> = {}): FlowResult {
  return {
    session: {
      accessToken: token,
      instanceUrl: 'https://acme.my.salesforce.com',
      kind: 'oauth2',
      refreshToken: 'refresh-secret-value',
      userInfo: { id: '005', organizationId: '00D', url: 'https://x/id/00D/005' },
    },
    response: {},
    ...extra,
  }
}

describe('SessionState', () => {
  it('has no session without both an access token and an instance URL', () => {
    expect(new SessionState().session()).toBeUndefined()
    expect(new SessionState({ accessToken: 't' }).session()).toBeUndefined()
    expect(new SessionState({ instanceUrl: 'https://x.example' }).session()).toBeUndefined()
    expect(
      new SessionState({ accessToken: 't', instanceUrl: 'https://x.example' }).session(),
    ).toEqual({ accessToken: 't', instanceUrl: 'https://x.example', kind: 'oauth2' })
  })

  it('offers what it knows for a renewal when there is no access token yet', () => {
    expect(new SessionState({ refreshToken: 'r' }).renewable()).toEqual({
      accessToken: '',
      instanceUrl: '',
      refreshToken: 'r',
      kind: 'oauth2',
    })
  })

  it('remembers the origin flow and its renewThis; a renewal keeps renewThis unless it brings one', () => {
    const state = new SessionState()
    const first = async () => result('b')
    state.establish(flow, result('a', { renewThis: first }))
    expect(state.origin).toBe(flow)
    expect(state.renewThis).toBe(first)
    state.replace(result('b'))
    expect(state.fields.accessToken).toBe('b')
    expect(state.renewThis).toBe(first)
    const second = async () => result('c')
    state.replace(result('c', { renewThis: second }))
    expect(state.renewThis).toBe(second)
  })

  it('bumps the epoch on every change of session, and clear() forgets everything', () => {
    const state = new SessionState()
    const seen = [state.epoch]
    state.establish(flow, result('a'))
    seen.push(state.epoch)
    state.replace(result('b'))
    seen.push(state.epoch)
    state.adopt(result('c').session)
    seen.push(state.epoch)
    state.clear()
    seen.push(state.epoch)
    expect(new Set(seen).size).toBe(5)
    expect(state.session()).toBeUndefined()
    expect(state.origin).toBeUndefined()
    expect(state.renewThis).toBeUndefined()
    expect(state.fields).toEqual({})
  })

  it('does not share its fields with the session it was given', () => {
    const given = result('a')
    const state = new SessionState()
    state.establish(flow, given)
    given.session.accessToken = 'mutated'
    expect(state.fields.accessToken).toBe('a')
  })
})

describe('safeView', () => {
  const token = '00DgK000000abcd!AQEAQPnotreallyasecretbutlongenough'
  const view = safeView({
    loginUrl: 'https://login.salesforce.com',
    version: '64.0',
    fields: { ...result(token).session },
    client: {
      clientId: 'cid',
      clientSecret: 'client-secret-value',
      redirectUri: 'http://127.0.0.1/cb',
    },
    flows: [flow],
  })

  it('shows no refresh token, client secret or whole access token', () => {
    const text = `${JSON.stringify(view)} ${inspect(view, { depth: 5 })}`
    expect(text).not.toContain('refresh-secret-value')
    expect(text).not.toContain('client-secret-value')
    expect(text).not.toContain(token)
  })

  it('shows what helps: a masked token, the instance, the user, the client ID and the flows', () => {
    expect(view).toMatchObject({
      loginUrl: 'https://login.salesforce.com',
      version: '64.0',
      instanceUrl: 'https://acme.my.salesforce.com',
      accessToken: '00DgK0…[redacted]',
      refreshToken: '[redacted]',
      userInfo: { id: '005', organizationId: '00D' },
      oauth2: { clientId: 'cid', clientSecret: '[redacted]' },
      flows: ['test-flow'],
    })
  })
})
