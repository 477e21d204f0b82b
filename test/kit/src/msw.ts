import { createEmulator, type Emulator } from '@sfauth/emulator'
import { emulatorHandlers } from '@sfauth/emulator/msw'
import type { RequestHandler } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, beforeEach } from 'vitest'

/** The emulator of the running test, reached at the real Salesforce hosts through msw. */
export interface MswEmulator {
  /** The emulator of the running test (a fresh one for every test). */
  readonly emu: Emulator
  /** Puts handlers in front of the emulator for the running test only. */
  override(...handlers: RequestHandler[]): void
}

/**
 * One msw server per test file and a fresh emulator (made by `make`, default
 * `createEmulator()`) for every test: requests to Salesforce hosts reach the emulator, nothing
 * leaves the process, and a request to any other host fails the test.
 */
export function useMswEmulator(make: () => Emulator = () => createEmulator()): MswEmulator {
  const server = setupServer()
  let current: Emulator | undefined
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  beforeEach(() => {
    current = make()
    server.resetHandlers(...emulatorHandlers(current))
  })
  afterAll(() => server.close())
  return {
    get emu(): Emulator {
      if (!current) throw new Error('useMswEmulator(): no test is running')
      return current
    },
    override: (...handlers) => server.use(...handlers),
  }
}
