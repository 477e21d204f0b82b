import { type ParseArgsConfig, parseArgs } from 'node:util'
import { UsageError } from './io.js'

type Options = NonNullable<ParseArgsConfig['options']>

/** Flags every command takes. */
export const COMMON: Options = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
}

/** Parses a command's flags strictly: an unknown flag or a missing value is a usage error. */
export function flags<T extends Options>(
  argv: string[],
  options: T,
  positionals = 0,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args: argv,
      options: { ...COMMON, ...options },
      strict: true,
      allowPositionals: positionals > 0,
    })
    if (parsed.positionals.length > positionals) {
      throw new UsageError(`Unexpected argument: ${parsed.positionals[positionals]}`)
    }
    return parsed as never
  } catch (err) {
    if (err instanceof UsageError) throw err
    throw new UsageError((err as Error).message)
  }
}

/** A string flag that must be there. */
export function required(values: Record<string, unknown>, name: string): string {
  const value = values[name]
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`)
  return value
}

export function optional(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}
