import { median } from './stats.js'

/** What one storm left: a fleet sharing one session fires its requests across one expiry. */
export interface Storm {
  tokenCalls: number
  replays: number
  failures: number
  errors: Record<string, number>
  latencies: number[]
}

/** The totals a fleet storm's summary line reads. */
export interface StormTotals {
  tokenCalls: number
  replays: number
  failures: number
  requests: number
}

/**
 * The runs of one fleet shape, `requests` in all over every run: token calls and replays as
 * medians, failures and error codes as totals, every request's latency; `cells` are the table's
 * token calls, replays and failed columns, each run's value in brackets when there were several.
 */
export function summarizeStorms(
  storms: readonly Storm[],
  requests: number,
): {
  totals: StormTotals
  latencies: number[]
  errors: Record<string, number>
  cells: string[]
} {
  const totals = {
    tokenCalls: median(storms.map((s) => s.tokenCalls)),
    replays: median(storms.map((s) => s.replays)),
    failures: storms.reduce((n, s) => n + s.failures, 0),
    requests,
  }
  const errors: Record<string, number> = {}
  for (const s of storms) {
    for (const [label, n] of Object.entries(s.errors)) errors[label] = (errors[label] ?? 0) + n
  }
  const each = (pick: (s: Storm) => number) =>
    storms.length > 1 ? ` (${storms.map(pick).join(', ')})` : ''
  return {
    totals,
    latencies: storms.flatMap((s) => s.latencies),
    errors,
    cells: [
      `${totals.tokenCalls}${each((s) => s.tokenCalls)}`,
      `${totals.replays}${each((s) => s.replays)}`,
      `${totals.failures} of ${requests}${each((s) => s.failures)}`,
    ],
  }
}

/** `label N token call(s), N replay(s), F/R failed`: one fleet in a benchmark's summary. */
export function stormLine(label: string, totals: StormTotals): string {
  return `${label} ${totals.tokenCalls} token call(s), ${totals.replays} replay(s), ${totals.failures}/${totals.requests} failed`
}
