import { SfAuthError } from '@sfauth/core'
import { createEmulator, type Emulator } from '@sfauth/emulator'
import { emulatorHandlers } from '@sfauth/emulator/msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'

/** The org's My Domain: the emulator's instance, where client credentials are accepted. */
export const MY_DOMAIN = 'https://acme.my.salesforce.com'

/** A run-as user and an app of our own, with values distinctive enough to scan messages for. */
export const USER = {
  username: 'integration@acme.example',
  password: 'RunAsPassword-NotUsedHere-1',
  userId: '005gK0000ccRunAsQA',
  orgId: '00DgK0000ccAcmeOrA',
}
export const APP = {
  clientId: '3MVG9clientCredentialsTestApp0000000000000000000000000000000000000',
  clientSecret: 'CCSECRETNEVERINMESSAGES6d1f0000000000000000000000000000000000000',
  clientCredentialsUser: USER.username,
}
/** An app with no run-as user: Salesforce refuses the grant with invalid_grant. */
export const APP_WITHOUT_USER = {
  clientId: '3MVG9clientCredentialsNoRunAsUser000000000000000000000000000000000',
  clientSecret: 'NORUNASSECRET0000000000000000000000000000000000000000000000000',
}
export const CLIENT = { clientId: APP.clientId, clientSecret: APP.clientSecret }

export function newEmulator(): Emulator {
  return createEmulator({ users: [USER], apps: [APP, APP_WITHOUT_USER] })
}

/**
 * Routes Salesforce hosts to a fresh emulator for every test through msw; nothing leaves the
 * process. `current()` is the emulator of the running test.
 */
export function useMswEmulator(): { current: () => Emulator } {
  const server = setupServer()
  let emu = newEmulator()
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  beforeEach(() => {
    emu = newEmulator()
    server.resetHandlers(...emulatorHandlers(emu))
  })
  afterAll(() => server.close())
  return { current: () => emu }
}

/** A `fetch` that keeps a copy of every request it sends on, for asserting what went on the wire. */
export function recordingFetch(send: typeof fetch = (input, init) => fetch(input, init)): {
  fetch: typeof fetch
  requests: Request[]
} {
  const requests: Request[] = []
  return {
    requests,
    fetch: (input, init) => {
      requests.push(new Request(input, init))
      return send(input, init)
    },
  }
}

/** Awaits a rejection and checks it is an {@link SfAuthError}. */
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
