// `pnpm bench --quick` against the emulator: the figures are all there, for both libraries, and
// the counts the renewal storm is about hold. No timing target is asserted here (speed targets live
// in the benchmark's own output, never in unit tests).

import { hasRedisServer } from '@sfauth/test-kit/redis-server'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseSizeTable } from '../src/benchmarks/bundle-size.js'
import { type BenchResult, runBench } from '../src/run.js'
import { median, pairedMedian } from '../src/stats.js'

let result: BenchResult

beforeAll(async () => {
  // pnpm size has its own tests (bench/test); its table parser is tested below without bundling.
  result = await runBench({ quick: true, runs: 1, skip: ['bundle-size'], log: () => {} })
}, 400_000)

const section = (id: string) => {
  const s = result.sections.find((x) => x.id === id)
  if (!s) throw new Error(`no ${id} section`)
  return s
}

describe('pnpm bench --quick', () => {
  it('runs every comparison except the one skipped, the fleet storm included', () => {
    expect(result.sections.map((s) => s.id)).toEqual([
      'cold-import',
      'cold-start',
      'warm-request',
      'renewal-storm',
      'fleet-storm',
      'edge-fleet-storm',
      'memory',
      'cli-token',
    ])
    expect(result.pending).toEqual([])
    expect(result.markdown).toContain('## Fleet storm')
    expect(result.machine).toMatch(/, \d+ cores, Node v\d+\.\d+\.\d+, \d{4}-\d\d-\d\dT/)
  })

  it('has figures for both libraries and raw fetch in every timed comparison', () => {
    expect(section('warm-request').rows.map((r) => r[0])).toEqual([
      'raw fetch',
      '@sfauth',
      'jsforce',
    ])
    // Cold start and cold import also run @sfauth bundled by esbuild, as a serverless build does.
    expect(section('cold-start').rows.map((r) => r[0])).toEqual([
      'raw fetch',
      '@sfauth',
      '@sfauth, bundled (esbuild, node)',
      'jsforce',
    ])
    for (const id of ['cold-start', 'warm-request']) {
      const { sfauthRatio, jsforceRatio } = section(id).data as Record<string, number>
      expect(sfauthRatio).toBeGreaterThan(0)
      expect(jsforceRatio).toBeGreaterThan(0)
    }
    expect(
      (section('cold-start').data as Record<string, number>).sfauthBundledRatio,
    ).toBeGreaterThan(0)
    expect(section('cold-import').rows.map((r) => r[0])).toEqual([
      'node -e ""',
      'empty app module',
      'an empty npm package',
      '@sfauth (core + oauth2)',
      '@sfauth (core + oauth2), bundled',
      '@sfauth (core + client-credentials)',
      '@sfauth (core + client-credentials), bundled',
      'jsforce',
    ])
    const imports = section('cold-import').data as Record<string, number>
    for (const key of [
      'sfauthOverMs',
      'sfauthOverBareMs',
      'sfauthBundledOverMs',
      'jsforceOverMs',
      'emptyPackageOverMs',
    ])
      expect(Number.isFinite(imports[key]), key).toBe(true)
    const mem = section('memory').data as Record<string, number>
    expect(mem.sfauthBytes).toBeGreaterThan(0)
    expect(mem.jsforceBytes).toBeGreaterThan(0)
  })

  it('@sfauth renews once per expiry in the storm, with no replay and no renewal failure', () => {
    const storm = section('renewal-storm').data as Record<string, unknown>
    const sfauth = storm.sfauth as {
      tokenCalls: number
      replays: number
      failures: number
      networkFailures: number
    }[]
    expect(sfauth).toHaveLength(2)
    for (const phase of sfauth) {
      expect(phase).toMatchObject({ tokenCalls: 1, replays: 0 })
      // Socket resets on a saturated machine are counted apart; a failed renewal is not one.
      expect(phase.failures - phase.networkFailures).toBe(0)
    }
  })

  it('a fleet with a lock renews once across processes: one token call, no replay, no failure', () => {
    const fleet = section('fleet-storm').data as Record<string, unknown>
    const locked = hasRedisServer ? ['fs + fileLock', 'redis + redisLock'] : ['fs + fileLock']
    for (const id of locked) {
      expect(fleet[id], id).toMatchObject({ tokenCalls: 1, replays: 0, failures: 0 })
    }
    // The "before" is measured too (its counts vary from run to run, so only its presence is checked).
    expect(fleet['fs, no lock']).toMatchObject({ requests: 80 })
  })

  it('an edge fleet on the Durable Object renews once across isolates: one token call, no replay, no failure', () => {
    const edge = section('edge-fleet-storm').data as Record<string, unknown>
    expect(edge['Durable Object × 4']).toMatchObject({
      tokenCalls: 1,
      replays: 0,
      failures: 0,
      requests: 80,
    })
    // The "before" is measured too (its counts vary from run to run, so only its presence is checked).
    expect(edge['KV, no lock × 4']).toMatchObject({ requests: 80 })
  })

  it('measures jsforce in the same storm: a renewal on the first expiry', () => {
    const jsforce = (section('renewal-storm').data as Record<string, unknown>).jsforce as {
      tokenCalls: number
      failures: number
    }[]
    expect(jsforce).toHaveLength(2)
    expect(jsforce[0]!.tokenCalls).toBeGreaterThanOrEqual(1)
    for (const phase of jsforce) {
      expect(phase.failures).toBeGreaterThanOrEqual(0)
      expect(phase.failures).toBeLessThanOrEqual((section('renewal-storm').data as { n: number }).n)
    }
  })
})

describe('parseSizeTable', () => {
  it('reads the rows pnpm size prints, platform labels included, and nothing else', () => {
    const stdout = [
      'import set                          minified        gzip      budget',
      'core                                22.87 KB     8.28 KB     8.72 KB  ok',
      '    contains: @sfauth/core, ofetch',
      'core + oauth2 (node)                30.16 KB    10.33 KB    10.87 KB  FAIL',
      'jsforce Connection                 853.69 KB   235.22 KB',
      "jsforce's Connection is 6.7× the gzip size of everything",
    ].join('\n')
    expect(parseSizeTable(stdout)).toEqual([
      { name: 'core', minified: '22.87 KB', gzip: '8.28 KB' },
      { name: 'core + oauth2 (node)', minified: '30.16 KB', gzip: '10.33 KB' },
      { name: 'jsforce Connection', minified: '853.69 KB', gzip: '235.22 KB' },
    ])
  })
})

describe('pairedMedian', () => {
  it('compares round by round, so a slow round moves both sides of its pair', () => {
    // Round 2 ran on a busy machine: both variants were slow in it.
    const base = [100, 400, 101, 99, 100]
    const lib = [104, 405, 105, 103, 300]
    expect(pairedMedian(lib, base, (v, b) => v - b)).toBe(4)
    // The difference of the medians mixes rounds: 104 - 100.
    expect(median(lib) - median(base)).toBe(5)
    expect(pairedMedian(lib, base, (v, b) => v / b)).toBeCloseTo(1.04, 2)
  })

  it('uses only the rounds both sides have', () => {
    expect(pairedMedian([10, 20, 30], [1, 2], (v, b) => v - b)).toBe(13.5)
  })
})
