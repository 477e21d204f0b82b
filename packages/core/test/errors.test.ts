import { describe, expect, it } from 'vitest'
import { SfAuthError } from '../src/index.js'

describe('SfAuthError', () => {
  it('carries errorCode, status, name and cause', () => {
    const cause = new Error('socket hang up')
    const err = new SfAuthError('boom', { errorCode: 'ERR_NETWORK', status: 502, cause })
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe('SfAuthError')
    expect(err.errorCode).toBe('ERR_NETWORK')
    expect(err.status).toBe(502)
    expect(err.cause).toBe(cause)
  })

  it('instanceof matches an error made by another copy of the package', () => {
    // A second install of @sfauth/core defines its own class but registers the same marker.
    const marker = Symbol.for('@sfauth/core/SfAuthError')
    class OtherCopy extends Error {
      errorCode = 'INVALID_LOGIN'
      constructor() {
        super('x')
        Object.defineProperty(this, marker, { value: true })
      }
    }
    expect(new OtherCopy()).toBeInstanceOf(SfAuthError)
    expect(SfAuthError.isInstance(new OtherCopy())).toBe(true)
    expect(new Error('plain')).not.toBeInstanceOf(SfAuthError)
    expect(SfAuthError.isInstance({ errorCode: 'x' })).toBe(false)
  })

  it('subclasses keep the ordinary instanceof', () => {
    class SpecialError extends SfAuthError {}
    const special = new SpecialError('s', { errorCode: 'X' })
    const plain = new SfAuthError('p', { errorCode: 'X' })
    expect(special).toBeInstanceOf(SpecialError)
    expect(special).toBeInstanceOf(SfAuthError)
    expect(plain).not.toBeInstanceOf(SpecialError)
  })
})
