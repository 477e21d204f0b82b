import { cpus, loadavg } from 'node:os'
import type { Section } from './types.js'

/** `CPU model, N cores, Node vX, date`: the line every figure is read against. */
export function machineLine(date = new Date()): string {
  const cpu = cpus()
  const model = cpu[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU'
  const load = loadavg()[0]!.toFixed(1)
  return `${model}, ${cpu.length} cores, Node ${process.version}, ${date.toISOString().replace(/\.\d+Z$/, 'Z')} (1-minute load average at the end: ${load})`
}

function table(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ]
}

/** The whole of bench/RESULTS.md. */
export function markdown(
  sections: Section[],
  pending: { title: string; why: string }[],
  machine: string,
  command: string,
): string {
  const lines = [
    '# @sfauth vs jsforce',
    '',
    `Written by \`${command}\` (bench/compare). Do not edit by hand.`,
    '',
    `Machine: ${machine}.`,
    '',
    'Every client talks to the @sfauth emulator on 127.0.0.1. Each comparison runs its variants interleaved in one run (A, B, C, A, B, C, ...) and reports medians, so a busy machine moves the figures more than the ratios.',
    '',
    '## Summary',
    '',
    ...sections.filter((s) => s.summary).map((s) => `- **${s.title}**: ${s.summary}`),
    ...pending.map((p) => `- **${p.title}**: not measured yet`),
    '',
  ]
  for (const s of sections) {
    lines.push(`## ${s.title}`, '', s.method, '', ...table(s.headers, s.rows), '')
    if (s.notes?.length) lines.push(...s.notes.map((n) => `- ${n}`), '')
  }
  for (const p of pending) lines.push(`## ${p.title}`, '', p.why, '')
  return lines.join('\n')
}

/** The same, for a terminal. */
export function text(sections: Section[], pending: { title: string; why: string }[]): string {
  const lines: string[] = []
  for (const s of sections) {
    const widths = s.headers.map((h, i) =>
      Math.max(h.length, ...s.rows.map((r) => (r[i] ?? '').length)),
    )
    const fmt = (cells: string[]) =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
    lines.push(`\n${s.title}`, fmt(s.headers), ...s.rows.map(fmt))
    for (const note of s.notes ?? []) lines.push(`  ${note}`)
  }
  lines.push('\nSummary')
  for (const s of sections) if (s.summary) lines.push(`  ${s.title}: ${s.summary}`)
  for (const p of pending) lines.push(`  ${p.title}: not measured yet`)
  return lines.join('\n')
}
