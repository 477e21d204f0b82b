import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { writeReadmeSection } from '../src/size/readme.js'

const dirs: string[] = []
function readme(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfauth-readme-'))
  dirs.push(dir)
  const path = join(dir, 'README.md')
  writeFileSync(path, text)
  return path
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('writeReadmeSection', () => {
  it('replaces only the Bundle sizes section', () => {
    const path = readme('# T\n\n## A\n\na\n\n## Bundle sizes\n\nold\n\n## B\n\nb\n')
    writeReadmeSection(path, 'new table')
    expect(readFileSync(path, 'utf8')).toBe(
      '# T\n\n## A\n\na\n\n## Bundle sizes\n\nnew table\n\n## B\n\nb\n',
    )
  })

  it('replaces a last section and appends a missing one', () => {
    const last = readme('# T\n\n## Bundle sizes\n\nold\n')
    writeReadmeSection(last, 'new')
    expect(readFileSync(last, 'utf8')).toBe('# T\n\n## Bundle sizes\n\nnew\n')
    const none = readme('# T\n\n## A\n\na\n')
    writeReadmeSection(none, 'new')
    expect(readFileSync(none, 'utf8')).toBe('# T\n\n## A\n\na\n\n## Bundle sizes\n\nnew\n')
  })
})
