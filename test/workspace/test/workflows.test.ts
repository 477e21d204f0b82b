import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../../scripts/workspace.mjs'

const run = promisify(execFile)
const VALIDATOR = fileURLToPath(new URL('../node_modules/.bin/action-validator', import.meta.url))
const WORKFLOWS = join(ROOT, '.github/workflows')

/** action-validator's verdict on one file: its exit code and what it printed. */
async function validate(file: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(VALIDATOR, [file])
    return { ok: true, output: `${stdout}${stderr}` }
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string }
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'sfauth-workflows-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('the GitHub workflows', () => {
  const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f))

  it('are the CI and the release workflow', () => {
    expect(files.sort()).toEqual(['ci.yml', 'release.yml'])
  })

  it.each(files)('%s passes action-validator', async (file) => {
    const { ok, output } = await validate(join(WORKFLOWS, file))
    expect(ok, output).toBe(true)
  })

  it('a workflow with a misspelt key fails action-validator', async () => {
    const bad = join(scratch, 'bad.yml')
    writeFileSync(bad, 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    stepz: []\n')
    const { ok, output } = await validate(bad)
    expect(ok).toBe(false)
    expect(output).toContain('stepz')
  })

  it('ci.yml runs every pnpm command of .ci/run, under Node 20 and 22', () => {
    const ci = readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8')
    const commands = readFileSync(join(ROOT, '.ci/run'), 'utf8')
      .split('\n')
      .map((line) => line.replace(/#.*$/, '').trim())
      .filter((line) => line.startsWith('pnpm '))
    expect(commands).toContain('pnpm test')
    expect(commands.filter((c) => !ci.includes(`run: ${c}\n`))).toEqual([])
    expect(ci).toMatch(/node: \[20, 22\]/)
    expect(ci).toContain('redis-server')
  })

  it('release.yml publishes with provenance through the OIDC token', () => {
    const release = readFileSync(join(WORKFLOWS, 'release.yml'), 'utf8')
    expect(release).toContain('id-token: write')
    expect(release).toContain('changesets/action@v1')
    expect(release).toMatch(/NPM_CONFIG_PROVENANCE: true/)
  })
})
