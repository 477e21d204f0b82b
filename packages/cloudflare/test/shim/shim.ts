import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { Miniflare } from 'miniflare'
import { bundleWorker, COMPATIBILITY_DATE } from '../fleet/edge-fleet.js'

/** shim-worker.ts in workerd, on 127.0.0.1: its URL, for shim-client.mjs in any process. */
export async function startShim(): Promise<{ url: string; dispose(): Promise<void> }> {
  const script = await bundleWorker(fileURLToPath(new URL('shim-worker.ts', import.meta.url)))
  const mf = new Miniflare({
    cf: false,
    host: '127.0.0.1',
    modules: true,
    script,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: [],
    durableObjects: { SFAUTH_SESSIONS: 'SfAuthSessions' },
    // A lock taken in one WebSocket message and released in another resolves the first event's
    // waitUntil() from the second's context, which workerd reports as a hang of the first (by
    // then done: the lock was released). That happens only through this shim; in a Worker,
    // session() takes and releases the lock within one request. Everything else is shown.
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.pipe(process.stdout)
      let dropping = false
      createInterface({ input: stderr }).on('line', (line) => {
        // The report is one line, then the native stack of the runtime on the next.
        if (line.includes("detected that your Worker's code had hung")) dropping = true
        else if (!(dropping && line.startsWith('stack: '))) {
          dropping = false
          console.error(line)
        }
      })
    },
  })
  const url = (await mf.ready).origin
  return { url, dispose: () => mf.dispose() }
}
