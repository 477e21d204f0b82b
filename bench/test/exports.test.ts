import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { exportTargets, missingTargets } from '../src/packages/exports.js'

let dir: string | undefined
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('exports targets', () => {
  const pkg = {
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      '.': { types: './dist/index.d.ts', import: './dist/index.js' },
      './msw': { types: './dist/msw.d.ts', default: './dist/msw.js' },
      './package.json': './package.json',
    },
  }

  it('collects every file the exports map, main and types point at', () => {
    expect(exportTargets(pkg).sort()).toEqual(
      [
        './dist/index.d.ts',
        './dist/index.js',
        './dist/msw.d.ts',
        './dist/msw.js',
        './package.json',
      ].sort(),
    )
  })

  it('reports the targets missing from an unpacked package', () => {
    dir = mkdtempSync(join(tmpdir(), 'sfauth-exports-'))
    mkdirSync(join(dir, 'dist'))
    for (const file of ['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/msw.js']) {
      writeFileSync(join(dir, file), '')
    }
    expect(missingTargets(pkg, dir)).toEqual(['./dist/msw.d.ts'])
  })
})
