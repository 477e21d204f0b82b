import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, workspacePackages } from '../../../scripts/workspace.mjs'
import { diagramProblems } from '../src/architecture.js'

describe("ARCHITECTURE.md's package diagram", () => {
  it('names exactly the packages under packages/*', () => {
    const text = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8')
    expect(
      diagramProblems(
        text,
        workspacePackages().map((p) => p.name),
      ),
    ).toEqual([])
  })

  it('names what is missing and what is extra', () => {
    const text = [
      '## The packages and the arrows',
      '',
      '```',
      ' apps ──► @sfauth/core   @sfauth/<flow>',
      ' @sfauth/oauth2 ──► @sfauth/core/flow',
      ' @sfauth/gone',
      '```',
      'Outside the diagram: @sfauth/cli',
    ].join('\n')
    expect(diagramProblems(text, ['@sfauth/core', '@sfauth/oauth2', '@sfauth/cli'])).toEqual([
      "ARCHITECTURE.md's package diagram leaves out @sfauth/cli: draw each with its arrows",
      "ARCHITECTURE.md's package diagram names @sfauth/gone, which packages/* does not have",
    ])
  })
})
