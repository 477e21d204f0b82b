import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/** One fenced ```ts block of a Markdown file. */
export interface CodeBlock {
  /** The Markdown file, relative to the repository root. */
  file: string
  /** The line of the opening fence (1-based). */
  line: number
  /** The block's code, its indentation removed. */
  code: string
  /** The info string after `ts` (`nocheck` opts a block out of the check). */
  info: string
}

/** The marker that leaves a block out of the type check: ```ts nocheck. */
export const NOCHECK = 'nocheck'

/**
 * The Markdown files whose code blocks are checked: the root README, CONTRIBUTING and
 * ARCHITECTURE, every package's README, and everything under docs/ (the generated API reference
 * in docs/api aside).
 */
export function markdownFiles(root: string): string[] {
  const files = ['README.md', 'CONTRIBUTING.md', 'ARCHITECTURE.md']
  for (const dir of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    if (dir.isDirectory() && existsSync(join(root, 'packages', dir.name, 'README.md'))) {
      files.push(`packages/${dir.name}/README.md`)
    }
  }
  const walk = (dir: string) => {
    if (!existsSync(dir)) return
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory() && path !== join(root, 'docs/api')) walk(path)
      else if (entry.isFile() && entry.name.endsWith('.md')) files.push(relative(root, path))
    }
  }
  walk(join(root, 'docs'))
  return files.filter((file) => existsSync(join(root, file)))
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*(.*)$/

/** Every ```ts (or ```typescript) block of `text`, nested in a list or not. */
export function codeBlocks(file: string, text: string): CodeBlock[] {
  const blocks: CodeBlock[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '')
    if (!open) continue
    const [, indent = '', fence = '', lang = '', info = ''] = open
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length; j++) {
      const line = lines[j] ?? ''
      if (line.trimStart().startsWith(fence) && line.trim() === line.trim().replace(/[^`~]/g, '')) {
        break
      }
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart())
    }
    if (lang === 'ts' || lang === 'typescript') {
      blocks.push({ file, line: i + 1, code: body.join('\n'), info: info.trim() })
    }
    i = j
  }
  return blocks
}

/** Every ```ts block of the checked Markdown files. */
export function allCodeBlocks(root: string): CodeBlock[] {
  return markdownFiles(root).flatMap((file) =>
    codeBlocks(file, readFileSync(join(root, file), 'utf8')),
  )
}
