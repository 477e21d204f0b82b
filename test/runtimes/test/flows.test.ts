import { describe, expect, it } from 'vitest'
import { FLOWS } from '../src/harness/flows.js'
import { CASES } from '../src/suite/index.js'

describe('the runtime matrix', () => {
  it('has a case for every package marked "sfauth": { "runtimeSuite": true }, and no other', () => {
    const missing = FLOWS.filter((flow) => !(flow in CASES))
    const unknown = Object.keys(CASES).filter((flow) => !FLOWS.includes(flow))
    expect(missing.map((f) => `no case for ${f}: add src/suite/cases/${f}.ts to CASES`)).toEqual([])
    expect(unknown.map((f) => `a case for ${f}, which no package marks "runtimeSuite"`)).toEqual([])
    expect(FLOWS).toContain('oauth2')
  })
})
