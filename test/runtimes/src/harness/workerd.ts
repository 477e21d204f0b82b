import { createRequire } from 'node:module'
import type { Runtime } from './runtime.js'

const require = createRequire(import.meta.url)

/**
 * Cloudflare's workerd through Miniflare, with no compatibility flags: in particular no
 * `nodejs_compat`, so the suite has Web APIs only. The suite runs inside one dispatched request.
 */
export const WORKERD: Runtime = {
  name: 'workerd',
  target: 'workerd',
  agent: /^Cloudflare-Workers$/,
  entry: 'worker',
  async version() {
    const { version } = require('workerd/package.json') as { version: string }
    return version
  },
  async run(bundle) {
    const { Miniflare } = await import('miniflare')
    const mf = new Miniflare({
      modules: true,
      script: bundle,
      compatibilityDate: '2025-09-01',
      compatibilityFlags: [],
      // @sfauth/cloudflare's Durable Object, exported by the worker entry.
      durableObjects: { SFAUTH_SESSIONS: 'SfAuthSessions' },
      // Miniflare would otherwise fetch request.cf data from workers.cloudflare.com: loopback only.
      cf: false,
    })
    try {
      const res = await mf.dispatchFetch('http://runtime-tests.invalid/')
      const body = await res.text()
      return { diagnostics: `HTTP ${res.status}${res.ok ? '' : `\n${body}`}` }
    } finally {
      await mf.dispose()
    }
  },
}
