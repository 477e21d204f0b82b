import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tightenBudgets } from '../src/size/budgets.js'

let dir: string | undefined
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('tightenBudgets', () => {
  it('lowers a budget to the measured size plus 10% and never raises one', () => {
    dir = mkdtempSync(join(tmpdir(), 'sfauth-budgets-'))
    const path = join(dir, 'budgets.json')
    writeFileSync(path, JSON.stringify({ $comment: 'keep me', small: 10000, over: 1000 }))
    const changed = tightenBudgets(
      path,
      new Map([
        ['small', 5000],
        ['over', 2000],
        ['new', 101],
      ]),
    )
    expect(changed).toEqual(['small', 'new'])
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      $comment: 'keep me',
      small: 5500,
      over: 1000,
      new: 120,
    })
  })
})
