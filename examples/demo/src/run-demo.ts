import { type DemoEnv, wantsRealOrg } from './config.js'
import { describeError, heading, lines, type StepReport, summary } from './report.js'
import type { DemoState, Step, StepId } from './step.js'
import { accessTokenStep } from './steps/access-token.js'
import { clientCredentialsStep } from './steps/client-credentials.js'
import { fleetStep } from './steps/fleet.js'
import { jwtBearerStep } from './steps/jwt-bearer.js'
import { logoutStep } from './steps/logout.js'
import { oauth2PasswordStep } from './steps/oauth2-password.js'
import { passwordRetiredStep } from './steps/password-retired.js'
import { renewalStep } from './steps/renewal.js'
import { sessionIdStep } from './steps/session-id.js'
import { soapLoginStep } from './steps/soap-login.js'
import { webServerStep } from './steps/web-server.js'
import { emulatorTarget, orgTarget, type Target } from './target.js'

/** Every step, in the order it runs: logins first, then reuse, renewal and logout of their sessions. */
export const STEPS: readonly Step[] = [
  soapLoginStep,
  oauth2PasswordStep,
  webServerStep,
  jwtBearerStep,
  clientCredentialsStep,
  passwordRetiredStep,
  sessionIdStep,
  accessTokenStep,
  renewalStep,
  fleetStep,
  logoutStep,
]

export interface DemoOptions {
  /** `SF_*` variables: none for the emulator, a real org's credentials otherwise. */
  env?: DemoEnv
  /** Where report lines go. */
  log?: (line: string) => void
}

export interface DemoResult {
  /** True when no step failed. */
  ok: boolean
  reports: StepReport[]
}

/** The steps `SF_ONLY` asks for, with the steps they reuse sessions from. */
function selected(env: DemoEnv): Set<StepId> {
  const only = env.SF_ONLY?.split(',')
    .map((id) => id.trim())
    .filter(Boolean)
  if (!only?.length) return new Set(STEPS.map((step) => step.id))
  const known = new Set<string>(STEPS.map((step) => step.id))
  const unknown = only.filter((id) => !known.has(id))
  if (unknown.length) {
    throw new TypeError(
      `SF_ONLY: unknown step ${unknown.join(', ')}; steps are ${[...known].join(', ')}`,
    )
  }
  const ids = new Set(only as StepId[])
  for (const step of [...STEPS].reverse()) {
    if (ids.has(step.id)) for (const need of step.needs ?? []) ids.add(need)
  }
  return ids
}

async function runStep(step: Step, target: Target, state: DemoState, log: (line: string) => void) {
  const started = performance.now()
  const reason = step.unavailable(target, state)
  if (reason) return { id: step.id, title: step.title, status: 'skipped', ms: 0, reason } as const
  try {
    const outcome = await step.run(target, state, log)
    return {
      id: step.id,
      title: step.title,
      status: 'passed',
      ms: performance.now() - started,
      ...outcome,
    } as const
  } catch (err) {
    return {
      id: step.id,
      title: step.title,
      status: 'failed',
      ms: performance.now() - started,
      reason: describeError(err),
    } as const
  }
}

/**
 * Walks through every seed scenario with the real packages, against the local emulator (no `SF_*`
 * variables) or a real org (only the flows whose variables are set), printing a line per step.
 */
export async function runDemo({
  env = {},
  log = console.log,
}: DemoOptions = {}): Promise<DemoResult> {
  const started = performance.now()
  const ids = selected(env)
  const target = wantsRealOrg(env) ? orgTarget(env) : await emulatorTarget()
  const reports: StepReport[] = []
  try {
    for (const line of heading(target.label)) log(line)
    const state: DemoState = {}
    for (const step of STEPS.filter((s) => ids.has(s.id))) {
      const report = await runStep(step, target, state, log)
      reports.push(report)
      for (const line of lines(report)) log(line)
    }
  } finally {
    await target.close()
  }
  log('')
  log(summary(reports, performance.now() - started))
  return { ok: reports.every((r) => r.status !== 'failed'), reports }
}
