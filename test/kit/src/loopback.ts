import { createEmulator, type Emulator, type EmulatorServer } from '@sfauth/emulator'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'

/** An emulator listening on 127.0.0.1. */
export interface LoopbackEmulator {
  /** The emulator (the running test's, when one is made per test). */
  readonly emu: Emulator
  /** `http://127.0.0.1:<port>`, known once the `beforeAll`/`beforeEach` ran. */
  readonly url: string
}

/**
 * Serves an emulator on a free loopback port, for end-to-end tests and examples that talk real
 * HTTP. Given an emulator (default `createEmulator()`), it listens for the whole test file; given
 * a function, a fresh emulator from it listens for each test.
 */
export function useLoopbackEmulator(
  emulator: Emulator | (() => Emulator) = createEmulator(),
): LoopbackEmulator {
  const perTest = typeof emulator === 'function'
  let emu: Emulator | undefined = perTest ? undefined : emulator
  let server: EmulatorServer | undefined
  const start = async () => {
    if (perTest) emu = emulator()
    server = await (emu as Emulator).listen()
  }
  const stop = () => server?.close()
  if (perTest) {
    beforeEach(start)
    afterEach(stop)
  } else {
    beforeAll(start)
    afterAll(stop)
  }
  return {
    get emu(): Emulator {
      if (!emu) throw new Error('useLoopbackEmulator(): no test is running')
      return emu
    },
    get url(): string {
      if (!server) throw new Error('useLoopbackEmulator(): the server is not listening yet')
      return server.url
    },
  }
}
