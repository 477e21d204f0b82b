import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

/**
 * The environment for running an example's `src/main.ts` against its own emulator: the
 * process environment without `SF_*` variables, and every variable of the example's
 * `.env.example` set empty (a variable that is set, even empty, wins over a local `.env`).
 *
 * @param example the example's folder, e.g. `new URL('..', import.meta.url)`
 */
export function emulatorEnv(example: URL): NodeJS.ProcessEnv {
  const names = readFileSync(new URL('.env.example', example), 'utf8').match(/^SF_\w+/gm)
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SF_')))
  return { ...env, ...Object.fromEntries((names ?? []).map((name) => [name, ''])) }
}

/**
 * Runs an example's `pnpm start` (`src/main.ts` through tsx) as a child process against its
 * own emulator (the environment of {@link emulatorEnv}) and resolves to what it printed.
 *
 * @param example the example's folder, e.g. `new URL('..', import.meta.url)`
 */
export async function startExample(example: URL): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts'],
    { cwd: fileURLToPath(example), env: emulatorEnv(example) },
  )
  return stdout
}
