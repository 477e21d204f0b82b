import { type SpawnOptions, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose'

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))

export interface Result {
  code: number | null
  stdout: string
  stderr: string
}

/** A private home for one test file: the config directory and any files it writes. */
export async function tempHome(): Promise<{
  dir: string
  config: string
  cleanup(): Promise<void>
}> {
  const dir = await mkdtemp(join(tmpdir(), 'sfauth-cli-'))
  return {
    dir,
    config: join(dir, 'config'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
}

/** The environment a CLI process gets: only PATH, and `config` as its home and config directory. */
export function cliEnv(config: string, env: Record<string, string> = {}): SpawnOptions['env'] {
  return { PATH: process.env.PATH ?? '', HOME: config, SFAUTH_CONFIG_DIR: config, ...env }
}

/** Runs `sfauth ARGS` as its own process, stdin from `input` (else closed). */
export function sfauth(
  args: string[],
  options: { config: string; env?: Record<string, string>; input?: string },
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: cliEnv(options.config, options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c
    })
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(options.input ?? '')
  })
}

/** A port nobody listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

export async function writeText(path: string, text: string, mode = 0o600): Promise<string> {
  await writeFile(path, text, { mode })
  return path
}

/** A new RS256 key pair for JWT logins: the private key written to `dir`, the public key as SPKI. */
export async function jwtKey(dir: string): Promise<{ keyFile: string; publicKey: string }> {
  const pair = await generateKeyPair('RS256', { extractable: true })
  return {
    keyFile: await writeText(join(dir, 'server.key'), await exportPKCS8(pair.privateKey)),
    publicKey: await exportSPKI(pair.publicKey),
  }
}

/** `sfauth login jwt` as the emulator's default app and user, signed with `keyFile`. */
export function jwtLoginArgs(keyFile: string, loginUrl: string, username = DEFAULT_USER.username) {
  return [
    'login',
    'jwt',
    '--client-id',
    DEFAULT_APP.clientId,
    '--username',
    username,
    '--key-file',
    keyFile,
    '--login-url',
    loginUrl,
  ]
}

/** `sfauth login client-credentials` as the emulator's default app (the secret goes on stdin). */
export function clientCredentialsArgs(instanceUrl: string, alias: string) {
  return [
    'login',
    'client-credentials',
    '--client-id',
    DEFAULT_APP.clientId,
    '--instance-url',
    instanceUrl,
    '--alias',
    alias,
  ]
}
