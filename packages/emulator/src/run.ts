import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type {
  ConnectedApp,
  EmulatorOptions,
  EmulatorOrganization,
  EmulatorServer,
  EmulatorUser,
} from './types.js'

/**
 * The package's own entry, loaded by a specifier bundlers cannot follow, so this Node-only
 * module and `index.js` never share a chunk.
 */
const INDEX_MODULE = './index.js'

/** Exit codes of the `sfauth-emulator` command (and `sfauth emulator`). */
export const EXIT = { ok: 0, error: 1, usage: 2 } as const

/** Where the command writes: data on `stdout`, messages on `stderr`. */
export interface RunIo {
  stdout: {
    /** Writes data: the banner, or one JSON document with `--json`. */
    write(text: string): unknown
  }
  stderr: {
    /** Writes messages for a person: errors, the stop line. */
    write(text: string): unknown
  }
}

/**
 * The config file (`--config FILE`, JSON): the emulator's users, apps, org and session expiry,
 * and the server's own settings. Flags given on the command line win over the file.
 */
export interface EmulatorConfigFile {
  port?: number
  host?: string
  https?: boolean
  allowedHosts?: string[]
  users?: EmulatorUser[]
  /** Apps as for `createEmulator`, plus `publicKeyFile`/`certificateFile`: PEM paths relative to the file. */
  apps?: Array<ConnectedApp & { publicKeyFile?: string; certificateFile?: string }>
  organization?: EmulatorOrganization
  sessionSecondsValid?: number
}

const CONFIG_KEYS = new Set([
  'port',
  'host',
  'https',
  'allowedHosts',
  'users',
  'apps',
  'organization',
  'sessionSecondsValid',
])

/** An argument or config mistake: exit code 2, the message shown as it is. */
class UsageError extends Error {}

/** What the command was asked for, after flags and the config file are merged. */
export interface RunSettings {
  port: number
  host: string
  https: boolean
  allowedHosts: string[]
  json: boolean
  emulator: EmulatorOptions
}

/** The command's help text, printed by `--help` and after a usage error. */
export const USAGE = `Usage: sfauth-emulator (or: sfauth emulator) [--port P] [--host 127.0.0.1] [--https] [--config FILE] [--allow-host NAME] [--json]

Runs the @sfauth/emulator, a local Salesforce login server, until Ctrl+C (SIGINT) or SIGTERM.

  --port P           port to listen on (default: any free port, printed at start)
  --host ADDRESS     address to listen on (default 127.0.0.1: this machine only)
  --https            serve https with a self-signed certificate made now; its path is printed
  --config FILE      JSON file with users, apps, organization, sessionSecondsValid, port, host, https
  --allow-host NAME  answer requests for this Host name too (repeatable; loopback names always work)
  --json             print one JSON document (URL, credentials) instead of text
  --help             show this help

Example:
  sfauth-emulator --port 8787 --https
  NODE_EXTRA_CA_CERTS=<printed path> node my-script.js

Exit codes: 0 stopped by a signal, 1 could not start (port taken, bad certificate), 2 usage or config error.
`

/** Reads flags and the config file into settings; throws a `UsageError` for anything wrong. */
export async function readSettings(argv: string[]): Promise<RunSettings | 'help'> {
  let parsed: ReturnType<typeof parseFlags>
  try {
    parsed = parseFlags(argv)
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const { values } = parsed
  if (values.help) return 'help'
  const file = values.config ? await readConfig(values.config) : {}
  const port = values.port !== undefined ? Number(values.port) : (file.port ?? 0)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535`)
  }
  const host = values.host ?? file.host ?? '127.0.0.1'
  return {
    port,
    host,
    https: values.https ?? file.https ?? false,
    allowedHosts: [...(file.allowedHosts ?? []), ...(values['allow-host'] ?? [])],
    json: values.json ?? false,
    emulator: {
      ...(file.users ? { users: file.users } : {}),
      ...(file.apps ? { apps: file.apps } : {}),
      ...(file.organization ? { organization: file.organization } : {}),
      ...(file.sessionSecondsValid !== undefined
        ? { sessionSecondsValid: file.sessionSecondsValid }
        : {}),
    },
  }
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      https: { type: 'boolean' },
      config: { type: 'string', short: 'c' },
      'allow-host': { type: 'string', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

async function readConfig(path: string): Promise<EmulatorConfigFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new UsageError(
      `Cannot read the config file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    )
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new UsageError(`The config file ${path} is not valid JSON`)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`The config file ${path} must hold a JSON object`)
  }
  const unknown = Object.keys(data).filter((key) => !CONFIG_KEYS.has(key))
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown key in ${path}: ${unknown.join(', ')} (known: ${[...CONFIG_KEYS].join(', ')})`,
    )
  }
  const config = data as EmulatorConfigFile
  for (const key of ['users', 'apps', 'allowedHosts'] as const) {
    if (config[key] !== undefined && !Array.isArray(config[key])) {
      throw new UsageError(`"${key}" in ${path} must be an array`)
    }
  }
  const seconds = config.sessionSecondsValid
  if (seconds !== undefined && !(typeof seconds === 'number' && seconds > 0)) {
    throw new UsageError(`"sessionSecondsValid" in ${path} must be a positive number`)
  }
  if (config.apps) {
    const base = dirname(resolve(path))
    config.apps = await Promise.all(
      config.apps.map(async ({ publicKeyFile, certificateFile, ...app }) => ({
        ...app,
        ...(publicKeyFile ? { publicKey: await readPem(resolve(base, publicKeyFile)) } : {}),
        ...(certificateFile ? { certificate: await readPem(resolve(base, certificateFile)) } : {}),
      })),
    )
  }
  return config
}

async function readPem(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw new UsageError(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`)
  }
}

/** A running emulator server started by {@link startFromSettings}. */
export interface RunningEmulator {
  server: EmulatorServer
  /** Where the https certificate was written, when there is one. */
  certificatePath?: string
  /** What the banner shows, as JSON. */
  summary: EmulatorSummary
  /** Stops the server and removes the certificate file it wrote. */
  stop(): Promise<void>
}

/** The URL and the credentials to use, as `--json` prints them. */
export interface EmulatorSummary {
  url: string
  host: string
  loopbackOnly: boolean
  certificatePath?: string
  users: Array<Pick<EmulatorUser, 'username' | 'password' | 'securityToken' | 'userId' | 'orgId'>>
  apps: Array<{
    clientId: string
    clientSecret?: string
    redirectUris: string[]
    jwtBearer: boolean
    clientCredentialsUser?: string
    rotateRefreshTokens: boolean
  }>
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost)$/i

/** Starts the emulator server the settings describe. */
export async function startFromSettings(settings: RunSettings): Promise<RunningEmulator> {
  const { createEmulator, DEFAULT_APP, DEFAULT_USER }: typeof import('./index.js') = await import(
    /* @vite-ignore */ /* webpackIgnore: true */ INDEX_MODULE
  )
  const emu = createEmulator(settings.emulator)
  const loopbackOnly = LOOPBACK.test(settings.host)
  // A named address is a Host name its clients will use; a wildcard needs --allow-host.
  const allowedHosts = [
    ...settings.allowedHosts,
    ...(loopbackOnly || settings.host === '0.0.0.0' || settings.host === '::'
      ? []
      : [settings.host]),
  ]
  const server = await emu.listen(settings.port, {
    host: settings.host,
    allowedHosts,
    ...(settings.https ? { tls: true } : {}),
  })
  let certDir: string | undefined
  let certificatePath: string | undefined
  if (server.certificate) {
    certDir = await mkdtemp(join(tmpdir(), 'sfauth-emulator-'))
    certificatePath = join(certDir, 'cert.pem')
    await writeFile(certificatePath, server.certificate, { mode: 0o644 })
  }
  const users = settings.emulator.users ?? [DEFAULT_USER]
  const apps = settings.emulator.apps ?? [DEFAULT_APP]
  const summary: EmulatorSummary = {
    url: server.url,
    host: settings.host,
    loopbackOnly,
    ...(certificatePath ? { certificatePath } : {}),
    users: users.map(({ username, password, securityToken, userId, orgId }) => ({
      username,
      password,
      ...(securityToken ? { securityToken } : {}),
      ...(userId ? { userId } : {}),
      ...(orgId ? { orgId } : {}),
    })),
    apps: apps.map((app) => ({
      clientId: app.clientId,
      ...(app.clientSecret ? { clientSecret: app.clientSecret } : {}),
      redirectUris: [...(app.redirectUris ?? [])],
      jwtBearer: Boolean(app.publicKey || app.certificate),
      ...(app.clientCredentialsUser ? { clientCredentialsUser: app.clientCredentialsUser } : {}),
      rotateRefreshTokens: app.rotateRefreshTokens ?? false,
    })),
  }
  return {
    server,
    ...(certificatePath ? { certificatePath } : {}),
    summary,
    async stop() {
      await server.close()
      if (certDir) await rm(certDir, { recursive: true, force: true })
    },
  }
}

/** The banner a person reads: where the emulator is and how to log in to it. */
export function formatSummary(summary: EmulatorSummary): string {
  const lines = [
    `Salesforce emulator listening on ${summary.url}`,
    summary.loopbackOnly
      ? `  Loopback only (${summary.host}): other machines cannot reach it.`
      : `  Listening on ${summary.host}: other machines can reach it, and its users and secrets are test values anyone can read here.`,
    `  Login URL, My Domain and instance URL: ${summary.url}`,
  ]
  if (summary.certificatePath) {
    lines.push(
      `  Self-signed certificate: ${summary.certificatePath}`,
      `    trust it with NODE_EXTRA_CA_CERTS=${summary.certificatePath} (Node), REQUESTS_CA_BUNDLE=${summary.certificatePath} (Python)`,
    )
  }
  for (const user of summary.users) {
    lines.push(`  User ${user.username}`, `    password:       ${user.password}`)
    if (user.securityToken) {
      lines.push(`    security token: ${user.securityToken} (API logins send password + token)`)
    }
  }
  for (const app of summary.apps) {
    lines.push(`  Connected app ${app.clientId}`)
    if (app.clientSecret) lines.push(`    client secret:  ${app.clientSecret}`)
    if (app.redirectUris.length > 0) lines.push(`    redirect URIs:  ${app.redirectUris.join(' ')}`)
    lines.push(
      app.jwtBearer
        ? '    JWT bearer:     on (its public key or certificate is configured)'
        : '    JWT bearer:     add "publicKeyFile" or "certificateFile" to this app in --config FILE',
    )
    if (app.clientCredentialsUser)
      lines.push(`    client credentials run as ${app.clientCredentialsUser}`)
    if (app.rotateRefreshTokens) lines.push('    refresh tokens rotate on every use')
  }
  lines.push('Press Ctrl+C to stop.')
  return `${lines.join('\n')}\n`
}

/**
 * Runs the command: starts the emulator, prints where it is and the credentials, and stops
 * cleanly on SIGINT or SIGTERM. Resolves to the exit code.
 */
export async function runEmulatorCommand(
  argv: string[],
  io: RunIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let settings: RunSettings | 'help'
  try {
    settings = await readSettings(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    report(io, argv.includes('--json'), 'ERR_USAGE', `${err.message}\n\n${USAGE}`)
    return EXIT.usage
  }
  if (settings === 'help') {
    io.stdout.write(USAGE)
    return EXIT.ok
  }
  let running: RunningEmulator
  try {
    running = await startFromSettings(settings)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') {
      report(
        io,
        settings.json,
        'ERR_PORT_IN_USE',
        `Port ${settings.port} is already in use on ${settings.host}: pick another with --port, or --port 0 for any free one.`,
      )
    } else if (code === 'EADDRNOTAVAIL') {
      report(
        io,
        settings.json,
        'ERR_ADDRESS',
        `Cannot listen on ${settings.host}: no such address on this machine.`,
      )
    } else {
      report(
        io,
        settings.json,
        'ERR_START',
        `The emulator could not start: ${(err as Error).message}`,
      )
    }
    return EXIT.error
  }
  // Listening for the signals before printing: a script may signal as soon as it reads the URL.
  const signal = new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
  io.stdout.write(
    settings.json ? `${JSON.stringify(running.summary)}\n` : formatSummary(running.summary),
  )
  const received = await signal
  await running.stop()
  if (!settings.json) io.stderr.write(`Stopped (${received}).\n`)
  return EXIT.ok
}

/** With `--json` the error is the one JSON document on stdout; otherwise a message on stderr. */
function report(io: RunIo, json: boolean, errorCode: string, message: string): void {
  if (json) io.stdout.write(`${JSON.stringify({ errorCode, message })}\n`)
  else io.stderr.write(`${message}\n`)
}
