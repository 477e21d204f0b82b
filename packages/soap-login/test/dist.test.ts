import { readFileSync } from 'node:fs'
import { checkDist } from '@sfauth/test-kit/dist'
import { expect, it } from 'vitest'

// fast-xml-parser by path: its parser and validator, not the entry that also loads XMLBuilder.
checkDist({
  allow: [
    '@sfauth/core/flow',
    'fast-xml-parser/src/validator.js',
    'fast-xml-parser/src/xmlparser/XMLParser.js',
  ],
})

it('makes the XML parser on first use, not when the module loads', () => {
  const dist = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8')
  expect(dist).toContain('new XMLParser')
  expect(dist).not.toMatch(/^(const|let) \w+ = new XMLParser/m)
})
