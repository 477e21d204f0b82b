import { describe, expect, it } from 'vitest'
import { resolveRequestUrl } from '../src/connection/request-url.js'
import { SfAuthError } from '../src/errors.js'

const target = {
  instanceUrl: 'https://acme.my.salesforce.com',
  loginUrl: 'https://login.salesforce.com',
  version: '64.0',
}

describe('resolveRequestUrl', () => {
  it('resolves a relative REST path against /services/data/v{version}/', () => {
    expect(resolveRequestUrl('query?q=SELECT+Id+FROM+Account', target)).toBe(
      'https://acme.my.salesforce.com/services/data/v64.0/query?q=SELECT+Id+FROM+Account',
    )
    expect(resolveRequestUrl('//sobjects', target)).toBe(
      'https://acme.my.salesforce.com/services/data/v64.0/sobjects',
    )
  })

  it('resolves /services/... against the instance URL', () => {
    expect(resolveRequestUrl('/services/apexrest/hello', target)).toBe(
      'https://acme.my.salesforce.com/services/apexrest/hello',
    )
    expect(resolveRequestUrl('/services', target)).toBe('https://acme.my.salesforce.com/services')
  })

  it('keeps an absolute URL on the instance or on the login URL', () => {
    expect(resolveRequestUrl('https://acme.my.salesforce.com/services/data', target)).toBe(
      'https://acme.my.salesforce.com/services/data',
    )
    expect(resolveRequestUrl('https://login.salesforce.com/services/oauth2/userinfo', target)).toBe(
      'https://login.salesforce.com/services/oauth2/userinfo',
    )
  })

  it('refuses an absolute URL on any other origin, a look-alike host included', () => {
    for (const url of [
      'https://evil.example/services/data',
      'https://acme.my.salesforce.com.evil.example/x',
      'https://acme.my.salesforce.com:8443/x',
    ]) {
      expect(() => resolveRequestUrl(url, target)).toThrow(TypeError)
    }
    expect(() => resolveRequestUrl('https://evil.example/x', target)).toThrow(
      /only to the instance \(https:\/\/acme\.my\.salesforce\.com\) or the login URL/,
    )
  })

  it('refuses plain http:// to a host that is not loopback (ERR_INSECURE_URL)', () => {
    let caught: unknown
    try {
      resolveRequestUrl('http://acme.my.salesforce.com/x', target)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(SfAuthError)
    expect((caught as SfAuthError).errorCode).toBe('ERR_INSECURE_URL')
  })

  it('allows http:// on a loopback instance (the emulator)', () => {
    const local = { ...target, instanceUrl: 'http://127.0.0.1:8080' }
    expect(resolveRequestUrl('http://127.0.0.1:8080/services/data', local)).toBe(
      'http://127.0.0.1:8080/services/data',
    )
  })

  it('rejects with ERR_NO_SESSION without an instance URL', () => {
    let caught: unknown
    try {
      resolveRequestUrl('limits', { ...target, instanceUrl: undefined })
    } catch (err) {
      caught = err
    }
    expect((caught as SfAuthError).errorCode).toBe('ERR_NO_SESSION')
  })
})
