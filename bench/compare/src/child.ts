import { type ChildProcess, fork, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** Absolute path of a script under `src/children/`. */
export const childScript = (name: string): string =>
  fileURLToPath(new URL(`./children/${name}`, import.meta.url))

/**
 * Runs `node ...args` to completion and measures its wall time from spawn to exit, as a user
 * would see a cold start. Rejects on a non-zero exit (other than `okExitCodes`) with the child's stderr.
 */
export function timeNode(
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; okExitCodes?: number[] },
): Promise<{ ms: number; stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('exit', (code) => {
      const ms = performance.now() - started
      if (code === 0 || (code !== null && opts.okExitCodes?.includes(code)))
        resolve({ ms, stdout, code })
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`))
    })
  })
}

/**
 * Fresh `node` processes, interleaved: each of `rounds` rounds runs every variant once, in order
 * (A, B, C, A, B, C, ...), so round `i` of every variant sits at index `i` of its list and a slow
 * spell of the machine lands on all of them alike. Returns the wall times by variant name.
 */
export async function timeRounds(
  variants: readonly { name: string; args: string[] }[],
  rounds: number,
  opts: { cwd: string; env?: Record<string, string> },
): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>(variants.map((v) => [v.name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const v of variants) times.get(v.name)!.push((await timeNode(v.args, opts)).ms)
  }
  return times
}

/** The last line of a child's stdout, parsed as JSON. */
export function lastJson<T>(stdout: string): T {
  const line = stdout.trim().split('\n').at(-1) ?? ''
  return JSON.parse(line) as T
}

/**
 * Forks a child script with an IPC channel; `onMessage` answers its requests (the emulator stays
 * in this process, so a child asks here for an expiry). Resolves with the child's `result` message.
 */
export function forkChild<T>(
  script: string,
  opts: {
    cwd: string
    args?: string[]
    env?: Record<string, string>
    execArgv?: string[]
    onMessage?: (message: { type: string }, child: ChildProcess) => void | Promise<void>
  },
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(script, opts.args ?? [], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      execArgv: opts.execArgv ?? [],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    })
    let stderr = ''
    let result: T | undefined
    child.stderr?.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('message', (message: { type: string; value?: T }) => {
      if (message.type === 'result') result = message.value
      else Promise.resolve(opts.onMessage?.(message, child)).catch(reject)
    })
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code === 0 && result !== undefined) resolve(result)
      else reject(new Error(`${script} exited ${code}: ${stderr.slice(-2000)}`))
    })
  })
}
