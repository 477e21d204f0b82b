// Real OS processes for multi-process tests: spawn Node scripts, read the JSON lines they print
// on stdout as events, kill them with real signals. Generic on purpose: the lock contract
// (testLock) uses it with lock-worker.mjs, the fleet contract (testSessionFleet) with
// session-worker.mjs; a package's own test can use it with its own worker script.
import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

/** One line a worker printed: `{ "type": ..., ... }`; `pid` and `t` (Date.now()) are added by emit(). */
export interface WorkerEvent {
  type: string
  pid: number
  t: number
  [key: string]: unknown
}

export interface WorkerExit {
  code: number | null
  signal: NodeJS.Signals | null
}

/** The generic lock worker (see lock-worker.mjs for its config and the events it prints). */
export const LOCK_WORKER = fileURLToPath(new URL('./lock-worker.mjs', import.meta.url))

export class WorkerProcess {
  readonly child: ChildProcess
  readonly events: WorkerEvent[] = []
  readonly exited: Promise<WorkerExit>
  stderr = ''
  #closed = false
  #waiters = new Set<() => void>()

  constructor(script: string, config: unknown, env?: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [script, JSON.stringify(config)], {
      // stdin carries tell() lines (a start barrier: spawn all, wait for every 'ready', tell 'go').
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    })
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk
    })
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return
      this.events.push(JSON.parse(line) as WorkerEvent)
      for (const wake of this.#waiters) wake()
    })
    // 'close' comes after the last line of stdout ('exit' may come before it), so a line the
    // worker printed just before exiting is always among `events` once `exited` resolves.
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.#closed = true
        resolve({ code, signal })
        for (const wake of this.#waiters) wake()
      })
    })
  }

  get pid(): number {
    return this.child.pid!
  }

  /**
   * The first event of `type` (already seen or still to come), or the one at `index` among those
   * of `type`; rejects after `timeoutMs` or on exit.
   */
  next(type: string, timeoutMs = 30_000, index = 0): Promise<WorkerEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.filter((e) => e.type === type)[index]
        if (found) return done(() => resolve(found))
        if (this.#closed) {
          done(() =>
            reject(new Error(`worker ${this.pid} exited before "${type}": ${this.describe()}`)),
          )
        }
      }
      const timer = setTimeout(
        () =>
          done(() =>
            reject(
              new Error(
                `no "${type}" from worker ${this.pid} within ${timeoutMs} ms: ${this.describe()}`,
              ),
            ),
          ),
        timeoutMs,
      )
      const done = (settle: () => void) => {
        clearTimeout(timer)
        this.#waiters.delete(check)
        settle()
      }
      this.#waiters.add(check)
      check()
    })
  }

  /** Writes one line to the worker's stdin (lock-worker.mjs with `startOnGo` waits for 'go'). */
  tell(line: string): void {
    this.child.stdin?.write(`${line}\n`)
  }

  /** Sends a real signal (SIGKILL is `kill -9`: no exit handler runs, nothing is cleaned up). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal)
  }

  describe(): string {
    return `events ${JSON.stringify(this.events)}; stderr ${this.stderr.trim() || '(empty)'}`
  }
}

/** Spawns one process per config, all at once. */
export function spawnWorkers(
  script: string,
  configs: unknown[],
  env?: NodeJS.ProcessEnv,
): WorkerProcess[] {
  return configs.map((config) => new WorkerProcess(script, config, env))
}

/** A start barrier: waits until every worker printed `ready`, then tells them all `go` at once. */
export async function startTogether(workers: WorkerProcess[], timeoutMs = 60_000): Promise<void> {
  await Promise.all(workers.map((w) => w.next('ready', timeoutMs)))
  for (const w of workers) w.tell('go')
}

/** Waits for every worker to exit; rejects (killing the rest) when one exits non-zero or time runs out. */
export async function allExited(workers: WorkerProcess[], timeoutMs = 120_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`workers still running after ${timeoutMs} ms`)),
      timeoutMs,
    )
  })
  try {
    await Promise.race([
      Promise.all(
        workers.map(async (w) => {
          const exit = await w.exited
          if (exit.code !== 0)
            throw new Error(
              `worker ${w.pid} exited with ${exit.code ?? exit.signal}: ${w.describe()}`,
            )
        }),
      ),
      timeout,
    ])
  } finally {
    clearTimeout(timer)
    killAll(workers)
  }
}

/** Kills whatever is still running (for afterEach). */
export function killAll(workers: WorkerProcess[]): void {
  for (const w of workers) {
    if (w.child.exitCode === null && w.child.signalCode === null) w.kill('SIGKILL')
  }
}

/**
 * Pairs each worker's `acquired` with its next `releasing` and returns every pair of holds whose
 * intervals overlap in time (all processes share one clock): [] when the lock excluded.
 */
export function overlappingHolds(workers: WorkerProcess[]): [WorkerEvent, WorkerEvent][] {
  const holds: { from: WorkerEvent; to: number }[] = []
  for (const w of workers) {
    let open: WorkerEvent | undefined
    for (const e of w.events) {
      if (e.type === 'acquired') open = e
      if (e.type === 'releasing' && open) {
        holds.push({ from: open, to: e.t })
        open = undefined
      }
    }
  }
  holds.sort((a, b) => a.from.t - b.from.t)
  const overlaps: [WorkerEvent, WorkerEvent][] = []
  for (let i = 1; i < holds.length; i++) {
    // A later hold that starts before the previous one ended (same millisecond counts as touching).
    if (holds[i]!.from.t < holds[i - 1]!.to) overlaps.push([holds[i - 1]!.from, holds[i]!.from])
  }
  return overlaps
}
