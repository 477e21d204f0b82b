import { CONTROL, type SuiteConfig, type SuiteReport } from './protocol.js'

/** The harness's side of the conversation, reached with plain `fetch` on loopback. */
export interface Control {
  config(): Promise<SuiteConfig>
  /** Ends every live session on the emulator (`emu.expireSessions()`). */
  expireSessions(): Promise<void>
  /** An authorization code for `authorizeUrl`, as the consent page's Allow button gives one. */
  approve(authorizeUrl: string): Promise<string>
  /** How many calls the emulator's `endpoint` received (of `grantType`, when given). */
  count(endpoint: string, grantType?: string): Promise<number>
  report(report: SuiteReport): Promise<void>
}

async function call(url: string, init?: RequestInit): Promise<Response> {
  const res = await fetch(url, init)
  if (!res.ok)
    throw new Error(`control ${new URL(url).pathname}: ${res.status} ${await res.text()}`)
  return res
}

/** A client for the control server at `base` (`http://127.0.0.1:PORT`). */
export function controlAt(base: string): Control {
  const post = (path: string, body: unknown) =>
    call(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  return {
    config: async () => (await call(base + CONTROL.config)).json() as Promise<SuiteConfig>,
    async expireSessions() {
      await (await post(CONTROL.expire, {})).body?.cancel()
    },
    async approve(authorizeUrl) {
      const { code } = (await (await post(CONTROL.approve, { authorizeUrl })).json()) as {
        code: string
      }
      return code
    },
    async count(endpoint, grantType) {
      const query = new URLSearchParams({ endpoint, ...(grantType ? { grantType } : {}) })
      const { count } = (await (await call(`${base}${CONTROL.count}?${query}`)).json()) as {
        count: number
      }
      return count
    },
    async report(report) {
      await (await post(CONTROL.report, report)).body?.cancel()
    },
  }
}
