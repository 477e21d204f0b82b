// A real redis-server (Debian's package) for tests, the fleet example and the benchmarks:
// loopback only, a free port, no persistence, stopped by its PID. `.ci/run` installs
// redis-server, so CI always runs the Redis tests; on a machine without it `hasRedisServer` is
// false and each caller skips with its own one-line message.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Whether `redis-server` is installed (Debian: `apt-get install redis-server`). */
export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0

export interface RedisServer {
  readonly port: number
  /** `redis://127.0.0.1:<port>`, for ioredis or unstorage's redis driver. */
  readonly url: string
  readonly pid: number
  /** Stops the server (SIGKILL for an abrupt death, SIGTERM otherwise) and waits for its exit. */
  stop(signal?: NodeJS.Signals): Promise<void>
  /** Starts a fresh, empty server on the same port (after stop()). */
  restart(): Promise<void>
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /**
   * More redis-server arguments, e.g. `['--requirepass', password]` or
   * `['--maxmemory', '1', '--maxmemory-policy', 'noeviction']` (every write refused).
   */
  args?: string[]
}

/** Starts redis-server on 127.0.0.1 and resolves once it answers PING (or, with `--requirepass`, NOAUTH). */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const port = await freePort()
  const launch = (p: number) => launchRedis(p, options.args ?? [])
  let child: ChildProcess = await launch(port)
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child.pid!
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      process.kill(child.pid!, signal)
      await exited
    },
    async restart() {
      child = await launch(port)
    },
  }
}

async function launchRedis(port: number, args: string[]): Promise<ChildProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'sfauth-redis-'))
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...args,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  child.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const deadline = Date.now() + 10_000
  while (!(await ping(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`redis-server did not start on 127.0.0.1:${port}: ${stderr.trim()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return child
}

/** True when 127.0.0.1:port answers PING with PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1_000, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    // A server started with --requirepass answers a PING without AUTH with NOAUTH: it is up.
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())))
  })
}
