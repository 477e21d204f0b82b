/**
 * Exit codes of `sfauth`, documented in the README:
 * 0 done; 1 Salesforce or the network refused or failed; 2 a usage mistake; 3 no stored session
 * for that alias (log in first); 4 a browser login that did not finish (timeout, port taken).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, noSession: 3, loginIncomplete: 4 } as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** A mistake in how the command was called: exit 2, the message as it is. */
export class UsageError extends Error {
  readonly errorCode = 'ERR_USAGE'
}

/** A failure the CLI itself names: its own code, exit code and a message free of secrets. */
export class CliError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
  ) {
    super(message)
  }
}

/** Where output goes: data on stdout, messages for a person on stderr. */
export interface Io {
  json: boolean
  out(text: string): void
  err(text: string): void
  /** The one JSON document of `--json`, or lines for a person. */
  result(data: unknown, human: string): void
}

export function createIo(json: boolean): Io {
  return {
    json,
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    result(data, human) {
      if (json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`)
      else if (human) process.stdout.write(human.endsWith('\n') ? human : `${human}\n`)
    },
  }
}

/**
 * Reports an error and returns its exit code. With `--json` it is the one JSON document on
 * stdout (`{ errorCode, message, status? }`); otherwise a line on stderr. Messages come from
 * `SfAuthError` (already scrubbed of secrets) or from the CLI's own texts, which hold none.
 */
export function reportError(io: Io, error: unknown, usage?: string): ExitCode {
  let errorCode = 'ERR_UNEXPECTED'
  const message = error instanceof Error ? error.message : String(error)
  let exitCode: ExitCode = EXIT.failed
  let status: number | undefined
  if (error instanceof UsageError) {
    errorCode = error.errorCode
    exitCode = EXIT.usage
  } else if (error instanceof CliError) {
    errorCode = error.errorCode
    exitCode = error.exitCode
  } else if (isSfAuthError(error)) {
    errorCode = error.errorCode
    status = error.status
  } else if (error instanceof TypeError) {
    errorCode = 'ERR_INVALID_ARGUMENT'
    exitCode = EXIT.usage
  }
  if (io.json) {
    io.out(`${JSON.stringify({ errorCode, message, ...(status ? { status } : {}) }, null, 2)}\n`)
  } else {
    io.err(`sfauth: ${message}${errorCode.startsWith('ERR_') ? '' : ` (${errorCode})`}\n`)
    if (usage && exitCode === EXIT.usage) io.err(`\n${usage}`)
  }
  return exitCode
}

/**
 * An `SfAuthError` from any copy of core, told by its shape: importing core here would load it
 * for every command, `sfauth token`'s fast path included.
 */
function isSfAuthError(error: unknown): error is Error & { errorCode: string; status?: number } {
  return (
    error instanceof Error &&
    error.name === 'SfAuthError' &&
    typeof (error as { errorCode?: unknown }).errorCode === 'string'
  )
}

/** Prints a command's help on stdout; exit 0. */
export function showHelp(io: Io, text: string): ExitCode {
  io.out(text)
  return EXIT.ok
}
