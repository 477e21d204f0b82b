import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TWIN_MAX_BYTES, tightenBudgets, twinProblem } from '../src/size/budgets.js'

let dir: string | undefined
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('tightenBudgets', () => {
  it('lowers a budget of one platform to the measured size plus 10% and never raises one', () => {
    dir = mkdtempSync(join(tmpdir(), 'sfauth-budgets-'))
    const path = join(dir, 'budgets.json')
    writeFileSync(
      path,
      JSON.stringify({
        $comment: 'keep me',
        browser: { small: 10000, over: 1000 },
        node: { small: 10000 },
      }),
    )
    const changed = tightenBudgets(
      path,
      'browser',
      new Map([
        ['small', 5000],
        ['over', 2000],
        ['new', 101],
      ]),
    )
    expect(changed).toEqual(['small', 'new'])
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      $comment: 'keep me',
      browser: { small: 5500, over: 1000, new: 120 },
      node: { small: 10000 },
    })
  })
})

describe('twinProblem', () => {
  it(`allows a Node bundle at most ${TWIN_MAX_BYTES} gzip bytes over its browser twin`, () => {
    expect(twinProblem(10_000, 10_000)).toBeUndefined()
    expect(twinProblem(10_000, 9_000)).toBeUndefined()
    expect(twinProblem(10_000, 10_000 + TWIN_MAX_BYTES)).toBeUndefined()
    expect(twinProblem(10_000, 10_001 + TWIN_MAX_BYTES)).toBe(
      `${TWIN_MAX_BYTES + 1} gzip bytes over its browser twin (at most ${TWIN_MAX_BYTES})`,
    )
  })
})
