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
  })
  const url = (await mf.ready).origin
  return { url, dispose: () => mf.dispose() }
}
