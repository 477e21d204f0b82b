import { createHttp, type FlowContext, SfAuthError } from '@sfauth/core/flow'
import { createEmulator, DEFAULT_USER, type Emulator } from '@sfauth/emulator'
import { emulatorHandlers } from '@sfauth/emulator/msw'
import type { RequestHandler } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'

export const LOGIN_URL = 'https://login.salesforce.com'
export const INSTANCE = 'https://acme.my.salesforce.com'
export const username = DEFAULT_USER.username
/** SOAP login wants the security token appended to the password. */
export const password = `${DEFAULT_USER.password}${DEFAULT_USER.securityToken}`

/**
 * One msw server per test file, a fresh emulator per test. `override(...)` puts handlers in
 * front of the emulator for the current test only.
 */
export function useEmulator(): { readonly emu: Emulator; override(...h: RequestHandler[]): void } {
  const server = setupServer()
  let emu = createEmulator()
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  beforeEach(() => {
    emu = createEmulator()
    server.resetHandlers(...emulatorHandlers(emu))
  })
  afterAll(() => server.close())
  return {
    get emu() {
      return emu
    },
    override: (...handlers) => server.use(...handlers),
  }
}

/** A request as the transport sent it. */
export interface SentRequest {
  url: string
  method: string
  headers: Headers
  body: string
}

/** A `fetch` that records every request and passes it on to the global (msw) fetch. */
export function recordingFetch(): { fetch: typeof fetch; sent: SentRequest[] } {
  const sent: SentRequest[] = []
  return {
    sent,
    fetch: async (input, init) => {
      const request = new Request(input, init)
      sent.push({
        url: request.url,
        method: request.method,
        headers: request.headers,
        body: await request.clone().text(),
      })
      return globalThis.fetch(request)
    },
  }
}

/** The SfAuthError a promise rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<SfAuthError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(SfAuthError)
  return err as SfAuthError
}

/** A flow context as a connection lends it, for calling a flow directly. */
export function flowContext(overrides: Partial<FlowContext> = {}): FlowContext {
  return {
    loginUrl: LOGIN_URL,
    version: '64.0',
    client: undefined,
    instanceUrl: undefined,
    session: undefined,
    http: createHttp(),
    ...overrides,
  }
}
