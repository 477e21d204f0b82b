import { inspect } from 'node:util'
import { SfAuthError } from '@sfauth/core'
import { describe, expect, it } from 'vitest'
import { lockError } from '../src/index.js'

const SECRET = 'Backend-Password-4c1e9b'

// Hostile causes a lock backend's client can hand over: secrets in extra properties, in the
// message, the code and the name, and properties that throw when read.
describe('lockError(code, message, cause, secrets): a cause is kept as a scrubbed copy', () => {
  it('keeps the name, message and code, and nothing of what else the library hung on it', () => {
    const cause = Object.assign(new Error(`WRONGPASS for ${SECRET}`), {
      name: 'ReplyError',
      code: 'WRONGPASS',
      command: { name: 'auth', args: [SECRET] },
      options: { password: SECRET },
    })
    const err = lockError('ERR_LOCK_UNAVAILABLE', `Redis refused ${SECRET}`, cause, [SECRET])
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err.cause).toMatchObject({
      name: 'ReplyError',
      message: 'WRONGPASS for [redacted]',
      code: 'WRONGPASS',
    })
    expect(err.message).toBe('Redis refused [redacted]')
    expect(Object.keys(err.cause as object).sort()).toEqual(['code', 'name'])
    expect(inspect(err, { depth: 10, showHidden: true })).not.toContain(SECRET)
  })

  it('a cause whose properties throw, or that is no Error at all, still gives an SfAuthError', () => {
    const hostile = new Error('x')
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('boom')
      },
    })
    Object.defineProperty(hostile, 'code', {
      get() {
        throw new Error('boom')
      },
    })
    expect(lockError('ERR_LOCK_UNAVAILABLE', 'down', hostile).cause).toMatchObject({
      message: 'unreadable error',
    })
    const plain = { toString: () => `token ${SECRET}`, secret: SECRET }
    const err = lockError('ERR_LOCK_UNAVAILABLE', 'down', plain, [SECRET])
    expect(inspect(err, { depth: 10, showHidden: true })).not.toContain(SECRET)
  })
})
