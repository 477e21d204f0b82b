import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { type StoredSession, session } from '@sfauth/session'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import { queryOwnUser, type Step } from '../step.js'

const PROCESSES = 4
const REQUESTS = 10
const WORKER = fileURLToPath(new URL('../fleet/fleet-worker.mjs', import.meta.url))

interface WorkerResult {
  ok: number
  failures: number
  codes: string[]
  refreshEvents: number
}

/** Spawns one worker; resolves once it printed `ready`, with a `run()` that starts it. */
async function startWorker(
  config: object,
): Promise<{ run(): Promise<WorkerResult>; child: ChildProcess }> {
  const child = spawn(process.execPath, [WORKER, JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const messages: Record<string, unknown>[] = []
  const waiters = new Set<() => void>()
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('{')) messages.push(JSON.parse(line) as Record<string, unknown>)
    for (const wake of waiters) wake()
  })
  // 'close' comes after the last line of stdout, 'exit' may come before it.
  let closed = false
  child.on('close', () => {
    closed = true
    for (const wake of waiters) wake()
  })
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = messages.find((m) => m.type === type)
        if (found) return resolve(found)
        if (closed) reject(new Error(`a fleet process exited: ${stderr.trim()}`))
      }
      waiters.add(check)
      check()
    })
  await next('ready')
  return {
    child,
    async run() {
      child.stdin?.write('go\n')
      return (await next('done')) as unknown as WorkerResult
    },
  }
}

/**
 * Many processes, one session: the renewed session saved in a store on disk, its access token
 * made invalid, then several Node processes (each a Connection with `session({ store, lock:
 * fileLock() })`) send requests at once. One process renews under the lock and saves; the others
 * adopt what it saved: one token request for the whole fleet.
 */
export const fleetStep: Step = {
  id: 'fleet',
  title: 'fleet renewal',
  needs: ['renewal'],
  unavailable: (target, state) =>
    !state.renewed?.refreshToken
      ? 'needs the renewal step’s refresh token'
      : !target.webClient
        ? 'needs the web server app'
        : undefined,
  async run(target, state) {
    const renewed = state.renewed!
    const { clientId, clientSecret } = target.webClient!
    const dir = await mkdtemp(join(tmpdir(), 'sfauth-demo-fleet-'))
    const workers: ChildProcess[] = []
    try {
      const storeDir = join(dir, 'store')
      const store = createStorage({ driver: fsDriver({ base: storeDir }) })
      const saved: StoredSession = {
        v: 1,
        kind: 'oauth2',
        accessToken: renewed.accessToken!,
        instanceUrl: renewed.instanceUrl!,
        refreshToken: renewed.refreshToken!,
        ...(renewed.userInfo ? { userInfo: renewed.userInfo } : {}),
      }
      await store.setItem('sfauth:session', saved)
      const oauth2 = new OAuth2({ clientId, clientSecret, loginUrl: target.loginUrl })
      await target.expire(renewed.accessToken!, oauth2)

      const config = {
        loginUrl: target.loginUrl,
        clientId,
        clientSecret,
        storeDir,
        lockDir: join(dir, 'locks'),
        requests: REQUESTS,
        // Each process holds the expired session from the start, as a fleet that was running
        // when it expired: none can restore the renewed one from the store before its first
        // request, however late the machine schedules it.
        session: {
          accessToken: saved.accessToken,
          instanceUrl: saved.instanceUrl,
          refreshToken: saved.refreshToken,
        },
      }
      const started = await Promise.all(
        Array.from({ length: PROCESSES }, () => startWorker(config)),
      )
      workers.push(...started.map((w) => w.child))
      const callsBefore = target.tokenCalls?.('refresh_token')
      const results = await Promise.all(started.map((w) => w.run()))
      const calls =
        callsBefore === undefined ? undefined : target.tokenCalls!('refresh_token') - callsBefore
      const failures = results.reduce((n, r) => n + r.failures, 0)
      if (failures > 0) {
        const codes = [...new Set(results.flatMap((r) => r.codes))].join(', ')
        throw new Error(`${failures} of ${PROCESSES * REQUESTS} requests failed (${codes})`)
      }
      if (calls !== undefined && calls !== 1) {
        throw new Error(`expected one token request for the fleet, saw ${calls}`)
      }
      const heard = results.filter((r) => r.refreshEvents === 1).length
      if (heard !== PROCESSES) {
        throw new Error(
          `expected every process to hear one 'refresh', ${heard} of ${PROCESSES} did`,
        )
      }

      // The session the fleet saved, restored: the logout step ends it.
      const restored = new Connection({
        oauth2,
        loginUrl: target.loginUrl,
        flows: [session({ store })],
      })
      await queryOwnUser(restored, renewed.userInfo?.id)
      state.renewed = restored
      await store.dispose()
      return {
        flow: '@sfauth/session + fileLock',
        userId: restored.userInfo?.id,
        orgId: restored.userInfo?.organizationId,
        instanceUrl: restored.instanceUrl,
        token: restored.accessToken,
        renewals: 1,
        detail: `${PROCESSES} processes × ${REQUESTS} requests on an expired token shared 1 renewal${
          calls === undefined ? '' : ` (${calls} token request for the fleet)`
        }, every process heard 'refresh'`,
      }
    } finally {
      for (const child of workers) if (child.exitCode === null) child.kill('SIGKILL')
      await rm(dir, { recursive: true, force: true })
    }
  },
}
