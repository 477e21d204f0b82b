import { SfAuthError } from '@sfauth/core'
import { describe, expect, it } from 'vitest'
import { waitForLock } from '../src/index.js'

const opts = { name: 'n', backend: 'a test backend' }

describe('waitForLock (the wait loop under fileLock and redisLock)', () => {
  it('retries until an attempt returns a hold', async () => {
    let tries = 0
    const held = await waitForLock(async () => (++tries < 4 ? undefined : 'hold'), {
      ...opts,
      waitMs: 5_000,
      minDelayMs: 1,
    })
    expect(held).toBe('hold')
    expect(tries).toBe(4)
  })

  it('rejects with ERR_LOCK_TIMEOUT naming the lock and what to check once waitMs is spent', async () => {
    const err = await waitForLock(async () => undefined, { ...opts, waitMs: 100 }).catch((e) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err.errorCode).toBe('ERR_LOCK_TIMEOUT')
    expect(err.message).toContain('"n"')
    expect(err.message).toContain('a test backend')
    expect(err.message).toContain('waitMs')
  })

  it('rejects with ERR_LOCK_ABORTED as soon as the signal fires, even during a hanging attempt', async () => {
    const controller = new AbortController()
    const reason = new Error('shutting down')
    setTimeout(() => controller.abort(reason), 50)
    const started = Date.now()
    const err = await waitForLock(() => new Promise<string>(() => {}), {
      ...opts,
      waitMs: 60_000,
      signal: controller.signal,
    }).catch((e) => e)
    expect(err.errorCode).toBe('ERR_LOCK_ABORTED')
    expect(err.cause).toBe(reason)
    // Well under the 60 s bound: the signal, not the bound, ended the wait.
    expect(Date.now() - started).toBeLessThan(30_000)
  })

  it('rejects at once for a signal that is already aborted, without trying', async () => {
    let tries = 0
    const err = await waitForLock(
      async () => {
        tries++
        return 'hold'
      },
      { ...opts, waitMs: 1_000, signal: AbortSignal.abort() },
    ).catch((e) => e)
    expect(err.errorCode).toBe('ERR_LOCK_ABORTED')
    expect(tries).toBe(0)
  })

  it('gives a hold won after the caller stopped waiting to discard', async () => {
    const discarded: string[] = []
    let win!: (hold: string) => void
    const err = await waitForLock(() => new Promise<string>((resolve) => (win = resolve)), {
      ...opts,
      waitMs: 50,
      discard: (hold) => discarded.push(hold),
    }).catch((e) => e)
    expect(err.errorCode).toBe('ERR_LOCK_TIMEOUT')
    win('late hold')
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(discarded).toEqual(['late hold'])
  })

  it("passes an attempt's own error through (the backend maps it)", async () => {
    const boom = new SfAuthError('down', { errorCode: 'ERR_LOCK_UNAVAILABLE' })
    await expect(waitForLock(() => Promise.reject(boom), { ...opts, waitMs: 1_000 })).rejects.toBe(
      boom,
    )
  })
})
