import type { FlowReport, StepReport } from './protocol.js'

/** Runs named steps in order; the first failure ends the flow and is recorded with its message. */
export interface Steps {
  step<T>(name: string, run: () => Promise<T>): Promise<T>
}

/** Thrown after a failed step so the flow's remaining steps are not attempted. */
class StepFailed extends Error {}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { errorCode?: unknown }).errorCode
    const status = (err as { status?: unknown }).status
    const tags = [err.name, code, status].filter((t) => t !== undefined && t !== '').join(' ')
    return `${tags}: ${err.message}`
  }
  return String(err)
}

/** Runs one flow's steps and reports how each went, never throwing. */
export async function runFlow(
  flow: string,
  body: (steps: Steps) => Promise<void>,
): Promise<FlowReport> {
  const steps: StepReport[] = []
  const recorder: Steps = {
    async step(name, run) {
      const started = Date.now()
      try {
        const value = await run()
        steps.push({ step: name, ok: true, ms: Date.now() - started })
        return value
      } catch (err) {
        steps.push({ step: name, ok: false, ms: Date.now() - started, error: describe(err) })
        throw new StepFailed(name)
      }
    },
  }
  try {
    await body(recorder)
  } catch (err) {
    if (!(err instanceof StepFailed)) {
      steps.push({ step: '(outside a step)', ok: false, ms: 0, error: describe(err) })
    }
  }
  return { flow, ok: steps.length > 0 && steps.every((s) => s.ok), steps }
}
