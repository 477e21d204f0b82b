import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { measure, PLATFORMS } from '../src/size/measure.js'
import { Owners } from '../src/size/owners.js'
import { IMPORT_SETS, type ImportSet } from '../src/size/sets.js'
import { treeShakingViolations } from '../src/size/tree-shaking.js'

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url))
/** Where ofetch resolves: core builds with it (a devDependency), so no bundle of ours imports it. */
const CORE_DIR = fileURLToPath(new URL('../../packages/core', import.meta.url))
const owners = new Owners(BENCH_DIR)

function setNamed(name: string): ImportSet {
  const set = IMPORT_SETS.find((s) => s.name === name)
  if (!set) throw new Error(`no set ${name}`)
  return set
}

describe('tree-shaking check', () => {
  it('attributes bundled files to the package that owns them', async () => {
    const m = await measure(setNamed('core + jwt'), BENCH_DIR)
    const present = new Set(m.inputs.map((input) => owners.ownerOf(input.path)))
    expect(present).toEqual(new Set(['@sfauth/core', '@sfauth/jwt', 'jose']))
    for (const owner of present)
      expect(owners.closure(['@sfauth/core', '@sfauth/jwt'])).toContain(owner)
  })

  it("finds no ofetch package in core's bundles: its neutral build is inside core's dist", async () => {
    for (const platform of PLATFORMS) {
      const m = await measure(setNamed('core'), BENCH_DIR, { platform })
      expect(new Set(m.inputs.map((input) => owners.ownerOf(input.path)))).toEqual(
        new Set(['@sfauth/core']),
      )
    }
  })

  it("flags node-fetch-native, which ofetch's node build brings, as never allowed", async () => {
    const ofetch: ImportSet = {
      name: "ofetch's own entry",
      packages: ['@sfauth/core'],
      source: `export { createFetch } from 'ofetch'`,
    }
    const node = await measure(ofetch, CORE_DIR, { platform: 'node' })
    expect(
      treeShakingViolations(ofetch, node, owners).find((v) => v.startsWith('node-fetch-native ')),
    ).toContain('never in a bundle')
    const browser = await measure(ofetch, CORE_DIR, { platform: 'browser' })
    expect(browser.inputs.map((input) => owners.ownerOf(input.path))).not.toContain(
      'node-fetch-native',
    )
  })

  it('flags a flow, and the dependencies only it brings, in a set that does not import it', async () => {
    const sneaky: ImportSet = {
      name: 'core + session, with soap-login slipped in',
      packages: ['@sfauth/core', '@sfauth/session'],
      source: `${setNamed('core + session').source}\nexport { soapLogin } from '@sfauth/soap-login'`,
    }
    const violations = treeShakingViolations(sneaky, await measure(sneaky, BENCH_DIR), owners)
    expect(violations.some((v) => v.startsWith('@sfauth/soap-login '))).toBe(true)
    expect(violations.find((v) => v.startsWith('fast-xml-parser '))).toContain(
      'code of @sfauth/soap-login',
    )
  })

  it('flags jose in a set that does not import the jwt flow', async () => {
    const sneaky: ImportSet = {
      name: 'core, with jwt slipped in',
      packages: ['@sfauth/core'],
      source: `${setNamed('core').source}\nexport { jwtBearer } from '@sfauth/jwt'`,
    }
    const violations = treeShakingViolations(sneaky, await measure(sneaky, BENCH_DIR), owners)
    expect(violations.find((v) => v.startsWith('jose '))).toContain('code of @sfauth/jwt')
  })

  it('flags jose in core + oauth2: only the @sfauth/oauth2/openid entry may bring it', async () => {
    const sneaky: ImportSet = {
      ...setNamed('core + oauth2'),
      name: 'core + oauth2, with jose slipped in',
      source: `${setNamed('core + oauth2').source}\nexport { verifyIdToken } from '@sfauth/oauth2/openid'`,
    }
    const violations = treeShakingViolations(sneaky, await measure(sneaky, BENCH_DIR), owners)
    expect(violations.find((v) => v.startsWith('jose '))).toContain(
      'code of @sfauth/jwt, @sfauth/oauth2/openid',
    )
    const openid = await measure(setNamed('core + oauth2 + openid'), BENCH_DIR)
    expect(openid.inputs.some((input) => owners.ownerOf(input.path) === 'jose')).toBe(true)
    const plain = await measure(setNamed('core + oauth2'), BENCH_DIR)
    expect(plain.inputs.some((input) => owners.ownerOf(input.path) === 'jose')).toBe(false)
  })

  it('finds every real import set clean on both platforms', async () => {
    for (const set of IMPORT_SETS) {
      for (const platform of PLATFORMS) {
        const m = await measure(set, BENCH_DIR, { platform })
        expect(treeShakingViolations(set, m, owners), `${set.name} (${platform})`).toEqual([])
      }
    }
  })
})
