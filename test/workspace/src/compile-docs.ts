import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { publishedEntries, workspacePackages } from '../../../scripts/workspace.mjs'
import type { CodeBlock } from './code-blocks.js'

/** A compile error in a code block, located in its Markdown file. */
export interface BlockError {
  /** `README.md:120` (the line in the Markdown file). */
  at: string
  message: string
}

/** The names and files every block may use: see docs-context/globals.d.ts. */
const CONTEXT = fileURLToPath(new URL('../docs-context', import.meta.url))

/** `file=test/flow.ts` in a block's info string: the file it shows, for relative imports. */
export function fileOf(info: string): string | undefined {
  return /(?:^|\s)file=(\S+)/.exec(info)?.[1]
}

/**
 * Type-checks each block as its own module against the workspace's sources: every
 * `@sfauth/<pkg>[/<entry>]` resolves to the source file that entry is built from, so a renamed
 * export or option fails here before a release. Third-party imports (msw, unstorage, ioredis...)
 * resolve from this package's devDependencies. The blocks are written to `scratch` (emptied
 * first), a folder inside this package so that its node_modules is found, beside the context
 * (docs-context/): the globals a block may use undeclared, and the files of the flow package the
 * CONTRIBUTING examples are written in. A block whose info string names its file (```ts
 * file=test/flow.ts) is written there, so blocks of one page can import each other.
 */
export function compileBlocks(root: string, blocks: CodeBlock[], scratch: string): BlockError[] {
  rmSync(scratch, { recursive: true, force: true })
  cpSync(CONTEXT, scratch, { recursive: true })
  const byFile = new Map<string, CodeBlock>()
  blocks.forEach((block, i) => {
    const name =
      fileOf(block.info) ?? `blocks/${block.file.replace(/[^\w]+/g, '_')}_${block.line}_${i}.ts`
    const path = join(scratch, name)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, block.code)
    byFile.set(path, block)
  })
  const paths: Record<string, string[]> = {}
  for (const { specifier, source } of publishedEntries(workspacePackages(root))) {
    paths[specifier] = [source]
  }
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    moduleDetection: ts.ModuleDetectionKind.Force,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts', 'lib.dom.asynciterable.d.ts'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules/@types')],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    noEmit: true,
    paths,
  }
  const program = ts.createProgram([join(scratch, 'globals.d.ts'), ...byFile.keys()], options)
  const errors: BlockError[] = []
  for (const [path, block] of byFile) {
    const source = program.getSourceFile(path)
    if (!source) throw new Error(`TypeScript did not read ${path}`)
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ]
    for (const d of diagnostics) {
      const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line
      errors.push({
        at: `${block.file}:${block.line + 1 + line}`,
        message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      })
    }
  }
  return errors
}
