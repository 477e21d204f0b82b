import { clientCredentialsCase } from './cases/client-credentials.js'
import { jwtCase } from './cases/jwt.js'
import { oauth2Case } from './cases/oauth2.js'
import { sessionCase } from './cases/session.js'
import { soapLoginCase } from './cases/soap-login.js'
import { tokenExchangeCase } from './cases/token-exchange.js'
import { controlAt } from './control.js'
import type { CaseContext } from './lifecycle.js'
import type { SuiteReport } from './protocol.js'
import { runFlow } from './steps.js'

/** Each flow's case, by the directory of its package (the harness runs those of src/harness/flows.ts). */
export const CASES: Record<string, (ctx: CaseContext) => Promise<void>> = {
  oauth2: oauth2Case,
  'soap-login': soapLoginCase,
  jwt: jwtCase,
  'client-credentials': clientCredentialsCase,
  'token-exchange': tokenExchangeCase,
  session: sessionCase,
}

/** The runtime's name for itself; Node before 21 has no `navigator`, so ask `process` there. */
function agent(): string {
  const g = globalThis as {
    navigator?: { userAgent?: string }
    process?: { versions?: { node?: string } }
  }
  const node = g.process?.versions?.node
  return g.navigator?.userAgent ?? (node ? `Node.js/${node}` : 'unknown')
}

/**
 * Runs the smoke suite against the harness at `controlUrl`: reads the configuration, runs each
 * requested flow in turn (one flow's failure does not stop the next), and posts the report back.
 * Only Web APIs and @sfauth packages are used, so the same module runs in every runtime.
 */
export async function runSuite(controlUrl: string): Promise<SuiteReport> {
  const control = controlAt(controlUrl)
  const config = await control.config()
  const report: SuiteReport = { runtime: config.runtime, agent: agent(), flows: [] }
  for (const flow of config.flows) {
    const run = CASES[flow]
    report.flows.push(
      await runFlow(flow, (steps) => {
        if (!run) throw new Error(`the suite has no case for ${flow}`)
        return run({ config, control, steps })
      }),
    )
  }
  await control.report(report)
  return report
}
