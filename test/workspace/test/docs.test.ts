import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../../scripts/workspace.mjs'
import { allCodeBlocks, type CodeBlock, codeBlocks, NOCHECK } from '../src/code-blocks.js'
import { compileBlocks } from '../src/compile-docs.js'

const SCRATCH = fileURLToPath(new URL('../.blocks', import.meta.url))

/**
 * The blocks left out of the type check (```ts nocheck), per file, and why. Keep it short: a
 * fragment usually compiles with an import line or a name from docs-context/globals.d.ts.
 */
const OPT_OUTS: Record<string, { count: number; why: string }> = {
  'packages/emulator/README.md': {
    count: 1,
    why: "the emulator's methods as a signature list (`scope?`, `ms`), not code to run",
  },
}

/** Two blocks that must fail: a name core does not export, and a FlowUnderTest without `refused`. */
const BROKEN: CodeBlock[] = [
  { file: 'BROKEN.md', line: 1, info: '', code: "import { Nope } from '@sfauth/core'\nNope" },
  {
    file: 'BROKEN.md',
    line: 10,
    info: '',
    code: [
      "import { Connection } from '@sfauth/core'",
      "import type { FlowUnderTest } from '@sfauth/test-kit'",
      'export const f: FlowUnderTest = {',
      "  name: 'f', connect: () => new Connection(), login: (c) => c.identity(),",
      '  refusedLogin: (c) => c.identity(), secrets: [], logoutCalls: () => 0,',
      "  renewal: { calls: () => 0, refreshToken: 'none' },",
      '}',
    ].join('\n'),
  },
]

describe('the ts code blocks of the docs', () => {
  const blocks = allCodeBlocks(ROOT)

  it('compile against the workspace packages, and a broken block fails', () => {
    const checked = blocks.filter((b) => !b.info.split(/\s+/).includes(NOCHECK))
    expect(checked.length).toBeGreaterThan(30)
    const errors = compileBlocks(ROOT, [...checked, ...BROKEN], SCRATCH)
    expect(errors.filter((e) => !e.at.startsWith('BROKEN.md'))).toEqual([])
    const broken = errors.filter((e) => e.at.startsWith('BROKEN.md')).map((e) => e.at)
    expect(broken).toContain('BROKEN.md:2') // Nope
    expect(errors.some((e) => e.at === 'BROKEN.md:13' && /'refused'/.test(e.message))).toBe(true)
  })

  it('opt out only where listed', () => {
    const counts: Record<string, number> = {}
    for (const b of blocks.filter((b) => b.info.split(/\s+/).includes(NOCHECK))) {
      counts[b.file] = (counts[b.file] ?? 0) + 1
    }
    expect(counts).toEqual(
      Object.fromEntries(Object.entries(OPT_OUTS).map(([file, { count }]) => [file, count])),
    )
  })
})

describe('codeBlocks', () => {
  it('finds ts blocks, indented in a list or not, with their line and info string', () => {
    const md = [
      '# T',
      '```ts',
      'const a = 1',
      '```',
      '- item',
      '',
      '  ```ts file=test/x.ts',
      '  const b = 2',
      '  ```',
      '```js',
      'ignored',
      '```',
    ].join('\n')
    expect(codeBlocks('X.md', md)).toEqual([
      { file: 'X.md', line: 2, code: 'const a = 1', info: '' },
      { file: 'X.md', line: 7, code: 'const b = 2', info: 'file=test/x.ts' },
    ])
  })
})
