// The runtime matrix: for each runtime, a fresh emulator on loopback, a control server, the smoke
// suite bundled for the runtime's export conditions, one line per flow, and a closing tally.
import { setTimeout as delay } from 'node:timers/promises'
import type { FlowReport, SuiteReport } from '../suite/protocol.js'
import { bundleSuite } from './bundle.js'
import { startControl } from './control-server.js'
import { startEmulator } from './emulator-setup.js'
import { FLOWS } from './flows.js'
import type { Runtime } from './runtime.js'
import { RUNTIMES } from './runtimes.js'

interface Row {
  runtime: string
  flow: string
  ok: boolean
  detail: string
}

function option(name: string): string[] | undefined {
  const index = process.argv.indexOf(`--${name}`)
  const value = index === -1 ? undefined : process.argv[index + 1]
  return value?.split(',').filter(Boolean)
}

function pick<T>(all: readonly T[], wanted: string[] | undefined, key: (t: T) => string): T[] {
  if (!wanted) return [...all]
  const unknown = wanted.filter((w) => !all.some((t) => key(t) === w))
  if (unknown.length > 0) throw new Error(`unknown: ${unknown.join(', ')}`)
  return all.filter((t) => wanted.includes(key(t)))
}

function describeFlow(report: FlowReport): string {
  const failed = report.steps.find((s) => !s.ok)
  if (failed) return `${failed.step}: ${failed.error ?? 'failed'}`
  return report.steps.map((s) => `${s.step} ${s.ms}ms`).join(', ')
}

/** Resolves with the report if it has arrived (or arrives within `ms`), else with undefined. */
function reportWithin(report: Promise<SuiteReport>, ms: number): Promise<SuiteReport | undefined> {
  return Promise.race([report, delay(ms, undefined, { ref: false })])
}

async function runOne(runtime: Runtime, flows: string[]): Promise<Row[]> {
  const fail = (detail: string): Row[] =>
    flows.map((flow) => ({ runtime: runtime.name, flow, ok: false, detail }))
  let label = runtime.name
  try {
    label = `${runtime.name} (${await runtime.version()})`
  } catch (err) {
    return fail(`runtime unavailable: ${err instanceof Error ? err.message : String(err)}`)
  }
  const { emu, server, config } = await startEmulator()
  const control = await startControl(emu, { ...config, runtime: runtime.name, flows })
  try {
    let bundle: string
    try {
      bundle = await bundleSuite(runtime.target, runtime.entry, control.url)
    } catch (err) {
      return fail(`bundle failed: ${err instanceof Error ? err.message : String(err)}`)
    }
    control.setBundle(bundle)
    const started = Date.now()
    const result = await runtime.run(bundle, control).catch((err: unknown) => ({
      diagnostics: err instanceof Error ? (err.stack ?? err.message) : String(err),
    }))
    const report = await reportWithin(control.report, 1000)
    console.log(`# ${label}: ${Date.now() - started} ms${report ? `, agent ${report.agent}` : ''}`)
    if (report && !runtime.agent.test(report.agent)) {
      return fail(`the suite ran in ${report.agent}, not in ${runtime.name}`)
    }
    return flows.map((flow) => {
      const flowReport = report?.flows.find((f) => f.flow === flow)
      if (!flowReport) {
        const why = report ? 'the suite did not report this flow' : 'no report from the runtime'
        return { runtime: runtime.name, flow, ok: false, detail: `${why}: ${result.diagnostics}` }
      }
      return { runtime: runtime.name, flow, ok: flowReport.ok, detail: describeFlow(flowReport) }
    })
  } finally {
    await control.close()
    await server.close()
  }
}

async function main(): Promise<number> {
  const runtimes = pick(RUNTIMES, option('runtime'), (r) => r.name)
  const flows = pick(FLOWS, option('flow'), (f) => f)
  const rows: Row[] = []
  for (const runtime of runtimes) {
    const results = await runOne(runtime, flows)
    for (const row of results) {
      const mark = row.ok ? 'ok  ' : 'FAIL'
      const [first, ...more] = row.detail.trim().split('\n')
      console.log(`${mark} ${row.runtime.padEnd(9)} ${row.flow.padEnd(19)} ${first}`)
      for (const line of more.slice(0, 40)) console.log(`       | ${line}`)
    }
    rows.push(...results)
  }
  const passed = rows.filter((r) => r.ok).length
  const failed = rows.length - passed
  console.log(`${passed} passed, ${failed} failed`)
  return failed === 0 && rows.length > 0 ? 0 : 1
}

// Exit explicitly: a runtime driver that leaves a handle open must not hang the matrix.
process.exit(await main())
