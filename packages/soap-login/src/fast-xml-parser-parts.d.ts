// fast-xml-parser 4.5's entry (`src/fxp.js`, CommonJS) requires its parser, validator and
// builder together, so a bundle that imports it carries XMLBuilder, which soap-login never uses
// (~1.9 KB gzip). soap-login imports the two parts it uses by path instead; 4.5 has no `exports`
// map, so these paths are public to Node and bundlers alike, and the dependency range (`~4.5.7`)
// admits patch releases only. The paths have no typings of their own: these are the package's
// own types, re-pointed. test/fxp-parts.test.ts checks that each path still is what the package
// exports under that name.
declare module 'fast-xml-parser/src/xmlparser/XMLParser.js' {
  import type { XMLParser } from 'fast-xml-parser'

  const Parser: typeof XMLParser
  export default Parser
}

declare module 'fast-xml-parser/src/validator.js' {
  import type { XMLValidator } from 'fast-xml-parser'

  const validator: typeof XMLValidator
  export default validator
}
