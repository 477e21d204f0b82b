// soap-login imports fast-xml-parser's parser and validator by path, to leave its XMLBuilder out
// of every bundle (src/fast-xml-parser-parts.d.ts). Those paths must stay what the package exports.
import * as fxp from 'fast-xml-parser'
import validator from 'fast-xml-parser/src/validator.js'
import Parser from 'fast-xml-parser/src/xmlparser/XMLParser.js'
import { describe, expect, it } from 'vitest'

describe('fast-xml-parser parts imported by path', () => {
  it('are the very XMLParser and XMLValidator the package entry exports', () => {
    expect(Parser).toBe(fxp.XMLParser)
    expect(validator).toBe(fxp.XMLValidator)
  })

  it('parse and validate', () => {
    expect(validator.validate('<a><b>1</b></a>')).toBe(true)
    expect(validator.validate('<a><b></a>')).not.toBe(true)
    expect(new Parser().parse('<a><b>1</b></a>')).toEqual({ a: { b: 1 } })
  })
})
