import { describe, expect, it } from 'vitest'
import { runFlow } from '../src/suite/steps.js'

describe('runFlow', () => {
  it('records each step and stops at the first failure', async () => {
    const ran: string[] = []
    const report = await runFlow('demo', async (steps) => {
      await steps.step('login', async () => ran.push('login'))
      await steps.step('request', async () => {
        throw Object.assign(new Error('nope'), { errorCode: 'INVALID_SESSION_ID', status: 401 })
      })
      await steps.step('logout', async () => ran.push('logout'))
    })
    expect(ran).toEqual(['login'])
    expect(report.ok).toBe(false)
    expect(report.steps.map((s) => [s.step, s.ok])).toEqual([
      ['login', true],
      ['request', false],
    ])
    expect(report.steps[1]?.error).toBe('Error INVALID_SESSION_ID 401: nope')
  })

  it('fails a flow that throws outside a step or runs no step', async () => {
    const thrown = await runFlow('demo', async () => {
      throw new TypeError('bad setup')
    })
    expect(thrown.ok).toBe(false)
    expect(thrown.steps[0]?.error).toBe('TypeError: bad setup')
    expect((await runFlow('empty', async () => {})).ok).toBe(false)
  })
})
