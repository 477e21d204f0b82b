import { maskToken, SfAuthError } from '@sfauth/core'
import type { StepId, StepOutcome } from './step.js'

/** One line of the report: a step that passed, failed or could not run. */
export interface StepReport extends Partial<StepOutcome> {
  id: StepId
  title: string
  status: 'passed' | 'failed' | 'skipped'
  ms: number
  /** Why it failed or was skipped. */
  reason?: string
}

const COLUMNS = [
  ['flow', 19],
  ['user id', 18],
  ['org id', 18],
  ['instance URL', 30],
  ['token', 17],
  ['renewals', 8],
  ['ms', 5],
] as const

function row(cells: readonly string[]): string {
  return cells
    .map((cell, i) => {
      const [, width] = COLUMNS[i]!
      return i >= COLUMNS.length - 2 ? cell.padStart(width) : cell.padEnd(width)
    })
    .join(' ')
    .trimEnd()
}

/** The heading: where the demo runs, and the column names. */
export function heading(where: string): string[] {
  return [`@sfauth demo against ${where}`, '', `  ${row(COLUMNS.map(([name]) => name))}`]
}

/** The lines for one step, tokens masked. */
export function lines(report: StepReport): string[] {
  if (report.status === 'failed') return [`✗ ${report.title}: ${report.reason}`]
  if (report.status === 'skipped') return [`- ${report.title}: skipped, ${report.reason}`]
  const out = [
    `✓ ${row([
      report.title,
      report.userId ?? '',
      report.orgId ?? '',
      report.instanceUrl ?? '',
      maskToken(report.token) ?? '',
      report.renewals === undefined ? '' : String(report.renewals),
      String(Math.round(report.ms)),
    ])}`,
  ]
  out.push(`    ${[report.flow, report.detail].filter(Boolean).join(': ')}`)
  return out
}

/** The closing line. */
export function summary(reports: readonly StepReport[], ms: number): string {
  const count = (status: StepReport['status']) => reports.filter((r) => r.status === status).length
  return `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped in ${Math.round(ms)} ms`
}

/** An error as one readable line: Salesforce's code first when there is one. */
export function describeError(err: unknown): string {
  if (err instanceof SfAuthError) {
    return `${err.errorCode}${err.status ? ` (${err.status})` : ''}: ${err.message}`
  }
  return err instanceof Error ? err.message : String(err)
}
