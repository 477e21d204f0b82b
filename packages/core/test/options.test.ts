import { describe, expect, it } from 'vitest'
import { checkOptions, DEFAULT_LOGIN_URL, DEFAULT_VERSION } from '../src/connection/options.js'
import { SfAuthError } from '../src/errors.js'

describe('checkOptions', () => {
  it('defaults to production and the default API version', () => {
    expect(checkOptions({})).toEqual({
      loginUrl: DEFAULT_LOGIN_URL,
      version: DEFAULT_VERSION,
      oauth2: undefined,
      timeout: undefined,
      initial: {},
    })
  })

  it('takes the login URL from oauth2 when the option is missing, without a trailing slash', () => {
    const checked = checkOptions({
      oauth2: { clientId: 'id', loginUrl: 'https://test.salesforce.com/' },
    })
    expect(checked.loginUrl).toBe('https://test.salesforce.com')
    expect(checkOptions({ loginUrl: 'https://acme.my.site.com/partners/' }).loginUrl).toBe(
      'https://acme.my.site.com/partners',
    )
  })

  it('normalises an OAuth session: origin of the instance URL, kind oauth2', () => {
    expect(
      checkOptions({
        instanceUrl: 'https://acme.my.salesforce.com/some/path',
        accessToken: '00Dtoken',
        refreshToken: '5Aep',
      }).initial,
    ).toEqual({
      instanceUrl: 'https://acme.my.salesforce.com',
      accessToken: '00Dtoken',
      refreshToken: '5Aep',
      kind: 'oauth2',
    })
  })

  it('reads the SOAP names: serverUrl and sessionId make a soap session', () => {
    expect(
      checkOptions({
        serverUrl: 'https://na1.salesforce.com/services/Soap/u/64.0/00D000000000001',
        sessionId: '00Dsession',
      }).initial,
    ).toEqual({
      instanceUrl: 'https://na1.salesforce.com',
      accessToken: '00Dsession',
      kind: 'soap',
    })
  })

  it('keeps a refresh token alone (a renewal will make the access token)', () => {
    expect(checkOptions({ refreshToken: '5Aep' }).initial).toEqual({ refreshToken: '5Aep' })
  })

  it('refuses what a programmer got wrong with a TypeError', () => {
    expect(() => checkOptions({ oauth2: {} as never })).toThrow(/oauth2 must be/)
    expect(() => checkOptions({ oauth2: 'id' as never })).toThrow(TypeError)
    expect(() => checkOptions({ version: '64' })).toThrow(/version must look like '64.0'/)
    expect(() => checkOptions({ timeout: 0 })).toThrow(/timeout must be a positive/)
    expect(() => checkOptions({ timeout: Number.NaN })).toThrow(TypeError)
    expect(() => checkOptions({ accessToken: 'x' })).toThrow(/needs instanceUrl/)
    expect(() => checkOptions({ loginUrl: 'login.salesforce.com' })).toThrow(TypeError)
  })

  it('refuses plain http:// to a host that is not loopback', () => {
    expect(() => checkOptions({ loginUrl: 'http://login.salesforce.com' })).toThrow(SfAuthError)
    expect(checkOptions({ loginUrl: 'http://127.0.0.1:3000' }).loginUrl).toBe(
      'http://127.0.0.1:3000',
    )
  })
})
