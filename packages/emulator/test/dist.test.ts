import { readdir, readFile } from 'node:fs/promises'
import { checkDist } from '@sfauth/test-kit/dist'
import { describe, expect, it } from 'vitest'

// What a Worker or browser bundle can reach; server.js (node:http) is loaded by a hidden specifier.
checkDist({ entries: ['index.js', 'msw.js'], allow: ['fast-xml-parser', 'jose', 'msw'] })

const dist = new URL('../dist/', import.meta.url)
const read = (name: string) => readFile(new URL(name, dist), 'utf8')
const nodeImport = /\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|\brequire\(/

describe('built output (run after `pnpm build`)', () => {
  it('keeps node:http out of everything a Worker or browser bundle can reach', async () => {
    expect(await read('index.js')).not.toMatch(nodeImport)
    expect(await read('msw.js')).not.toMatch(nodeImport)
    expect(await read('server.js')).toMatch(/from "node:http"/)
  })

  it('loads the server by a specifier bundlers cannot follow, resolved next to index.js', async () => {
    const index = await read('index.js')
    expect(index).not.toMatch(/import\(\s*["']/)
    expect(index).toMatch(
      /import\(\s*\/\* @vite-ignore \*\/\s*\/\* webpackIgnore: true \*\/\s*\w+\s*\)/,
    )
    expect(index).toContain('"./server.js"')
  })

  it('keeps the command apart: bin.js loads run.js and run.js loads index.js by hidden specifiers', async () => {
    const bin = await read('bin.js')
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(bin).toContain('"./run.js"')
    expect(bin).not.toMatch(/\bfrom\s*["']/)
    const run = await read('run.js')
    expect(run).toContain('"./index.js"')
    expect(run).not.toMatch(/\bfrom\s*["']\.\//)
  })

  it('ships the five entries and their types, and no process.env', async () => {
    const files = await readdir(dist)
    const scripts = files.filter((f) => f.endsWith('.js')).sort()
    expect(scripts).toEqual(['bin.js', 'index.js', 'msw.js', 'run.js', 'server.js'])
    for (const file of scripts) expect(await read(file)).not.toContain('process.env')
    expect(files).toEqual(expect.arrayContaining(['index.d.ts', 'msw.d.ts']))
  })
})
