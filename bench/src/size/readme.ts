import { readFileSync, writeFileSync } from 'node:fs'

const HEADING = '## Bundle sizes'

/**
 * Replaces the `## Bundle sizes` section of a Markdown page (up to the next `## ` heading) with
 * `body`, or appends the section when there is none. Other sections are left as they are.
 */
export function writeReadmeSection(readmePath: string, body: string): void {
  const text = readFileSync(readmePath, 'utf8')
  const section = `${HEADING}\n\n${body.trim()}\n`
  const start = text.indexOf(`\n${HEADING}\n`)
  if (start === -1) {
    writeFileSync(readmePath, `${text.trimEnd()}\n\n${section}`)
    return
  }
  const after = text.indexOf('\n## ', start + HEADING.length + 1)
  const rest = after === -1 ? '' : `\n${text.slice(after + 1)}`
  writeFileSync(readmePath, `${text.slice(0, start + 1)}${section}${rest}`)
}
