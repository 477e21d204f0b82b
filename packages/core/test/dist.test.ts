import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The built files are what users' bundlers see; `pnpm test` builds before testing. Two entries
// (index.js for apps, flow.js for flow authors) share one runtime file, and a third
// (frontdoor.js) imports the published flow entry, so every file is checked.
const DIST = new URL('../dist/', import.meta.url)
const files = readdirSync(DIST).filter((name) => name.endsWith('.js'))
const read = (name: string) => readFileSync(new URL(name, DIST), 'utf8')
const all = files.map(read).join('\n')

describe('the built package', () => {
  it('builds the three entries and no shared chunk: an app loads index.js and flow.js only', () => {
    expect(files.sort()).toEqual(['flow.js', 'frontdoor.js', 'index.js'])
  })

  it('imports only its own files: ofetch is inlined, no Node built-in, no flow package', () => {
    for (const name of files) {
      const specifiers = [
        ...read(name).matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g),
      ]
        .map((m) => m[1] ?? m[2])
        .filter((s) => !s?.startsWith('./'))
      // frontdoor.js reaches core through its published entry, so it adds no chunk to flow.js.
      expect(specifiers, name).toEqual(name === 'frontdoor.js' ? ['@sfauth/core/flow'] : [])
    }
    expect(read('index.js')).not.toContain('frontdoor')
    expect(read('flow.js')).not.toMatch(/frontdoor|singleaccess/)
    expect(all).toContain('function createFetch(')
  })

  it("holds ofetch's runtime-neutral build, not its node one (no node-fetch-native)", () => {
    expect(all).not.toMatch(/node-fetch-native|createNodeFetch|FETCH_KEEP_ALIVE/)
  })

  it('reads no global at import: Node loads its fetch (undici) on the first read of Headers', () => {
    const topLevel = all.split('\n').filter((line) => /^(const|let|var)\b/.test(line))
    expect(topLevel.filter((line) => /\b(globalThis|self|window|global)\./.test(line))).toEqual([])
  })

  it('reads no process, Buffer or require at all', () => {
    expect(all).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/)
  })

  it('has no top-level side effects a bundler would have to keep', () => {
    for (const name of files) {
      // Top-level statements are declarations and exports only. The one exception is what
      // rolldown leaves of inlined ufo's unused `const r = String.fromCharCode`: a bare read.
      const topLevel = read(name)
        .split('\n')
        .filter((line) => /^[a-zA-Z]/.test(line))
        .filter(
          (line) => !/^(import|export|const|let|function|async function|class|var)\b/.test(line),
        )
        .filter((line) => line !== 'String.fromCharCode;')
      expect(topLevel, name).toEqual([])
    }
  })

  it('keeps flow-author helpers out of the application entry', () => {
    const index = read('index.js')
    expect(index).not.toMatch(/\bexport\s*\{[^}]*\bcallTokenEndpoint\b/)
    expect(read('flow.js')).toMatch(/\bcallTokenEndpoint\b/)
  })
})

// The build leaves ofetch's ufo and destr out (tsdown.config.ts): unit tests run the sources with
// the real ofetch, so the built transport is exercised here on every path core takes.
describe('the built transport (ofetch without ufo and destr)', () => {
  it('sends forms and JSON, reads JSON and errors, and never reaches a left-out dependency', async () => {
    expect(all).toContain('ofetch called a dependency core leaves out')
    expect(all).not.toMatch(/function destr\b|function withQuery\b/)
    const { createHttp, SfAuthError } = (await import(
      new URL('flow.js', DIST).href
    )) as typeof import('../src/flow.js')
    const seen: { method: string; type: string | null; body: string }[] = []
    const http = createHttp({
      timeout: 5000,
      fetch: async (input, init) => {
        const req = new Request(input, init)
        seen.push({
          method: req.method,
          type: req.headers.get('content-type'),
          body: await req.text(),
        })
        if (req.url.endsWith('/bad')) {
          return Response.json(
            { error: 'invalid_grant', error_description: 'expired' },
            { status: 400 },
          )
        }
        return Response.json({ ok: true, url: req.url })
      },
    })
    const base = 'https://acme.my.salesforce.com/services'
    expect(await http.json({ url: `${base}/a?q=1`, form: { grant_type: 'x' } })).toEqual({
      ok: true,
      url: `${base}/a?q=1`,
    })
    expect(await http.json({ url: `${base}/b`, json: { n: 1 } })).toMatchObject({ ok: true })
    const res = await http.send({ url: `${base}/c` })
    expect(res.status).toBe(200)
    const err = await http.json({ url: `${base}/bad`, form: { a: 'b' } }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect((err as InstanceType<typeof SfAuthError>).errorCode).toBe('invalid_grant')
    expect(seen.map((s) => [s.method, s.type])).toEqual([
      ['POST', 'application/x-www-form-urlencoded'],
      ['POST', 'application/json'],
      ['GET', null],
      ['POST', 'application/x-www-form-urlencoded'],
    ])
    expect(seen[1]?.body).toBe('{"n":1}')
  })
})
