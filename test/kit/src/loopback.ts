import { createEmulator, type Emulator, type EmulatorServer } from '@sfauth/emulator'
import { afterAll, beforeAll } from 'vitest'

/** An emulator listening on 127.0.0.1 for the whole test file. */
export interface LoopbackEmulator {
  readonly emu: Emulator
  /** `http://127.0.0.1:<port>`, known once the file's `beforeAll` ran. */
  readonly url: string
}

/**
 * Starts `emu` (default `createEmulator()`) on a free loopback port before the file's tests and
 * closes it after them: for end-to-end tests and examples that talk real HTTP.
 */
export function useLoopbackEmulator(emu: Emulator = createEmulator()): LoopbackEmulator {
  let server: EmulatorServer | undefined
  beforeAll(async () => {
    server = await emu.listen()
  })
  afterAll(() => server?.close())
  return {
    emu,
    get url(): string {
      if (!server) throw new Error('useLoopbackEmulator(): the server is not listening yet')
      return server.url
    },
  }
}
