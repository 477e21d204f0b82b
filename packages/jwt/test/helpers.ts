import { createPrivateKey } from 'node:crypto'
import { Connection, type ConnectionOptions, SfAuthError } from '@sfauth/core'
import {
  type ConnectedApp,
  createEmulator,
  DEFAULT_APP,
  DEFAULT_USER,
  type Emulator,
  type EmulatorOptions,
} from '@sfauth/emulator'
import { emulatorHandlers } from '@sfauth/emulator/msw'
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { JWT_BEARER_GRANT_TYPE, type JwtBearerOptions, jwtBearer } from '../src/index.js'
import { selfSignedCertificate } from './x509.js'

export const GRANT = JWT_BEARER_GRANT_TYPE
export const CLIENT_ID = DEFAULT_APP.clientId
export const USERNAME = DEFAULT_USER.username
export const INSTANCE = 'https://acme.my.salesforce.com'

/** One RSA key pair in every form users hold it, all generated here. */
export interface Keys {
  privateKey: CryptoKey
  pkcs8: string
  /** `BEGIN RSA PRIVATE KEY`, as `openssl genrsa` writes it. Node's crypto is fine in tests. */
  pkcs1: string
  jwk: JsonWebKey
  spki: string
  publicJwk: JsonWebKey
  certificate: string
}

export async function generateKeys(): Promise<Keys> {
  const pair = await generateKeyPair('RS256', { extractable: true })
  const pkcs8 = await exportPKCS8(pair.privateKey)
  return {
    privateKey: pair.privateKey,
    pkcs8,
    pkcs1: createPrivateKey(pkcs8).export({ type: 'pkcs1', format: 'pem' }) as string,
    jwk: await exportJWK(pair.privateKey),
    spki: await exportSPKI(pair.publicKey),
    publicJwk: await exportJWK(pair.publicKey),
    certificate: selfSignedCertificate(pkcs8),
  }
}

/** An emulator whose default app verifies assertions with `publicKey` (or a certificate). */
export function emulatorFor(
  verify: Partial<ConnectedApp>,
  app: Partial<ConnectedApp> = {},
  options: EmulatorOptions = {},
): Emulator {
  return createEmulator({ ...options, apps: [{ ...DEFAULT_APP, ...verify, ...app }] })
}

/**
 * Routes every Salesforce host of this test file to the current emulator through msw;
 * anything else fails the test.
 */
export function useEmulator(make: () => Emulator): { emu: Emulator } {
  const state = {} as { emu: Emulator }
  const server = setupServer()
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  beforeEach(() => {
    state.emu = make()
    server.resetHandlers(...emulatorHandlers(state.emu))
  })
  afterAll(() => server.close())
  return state
}

/** A `fetch` that keeps the form of every token request, to look at what the emulator got. */
export function recordingFetch() {
  const tokenRequests: URLSearchParams[] = []
  const fetch: typeof globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input)
    if (url.endsWith('/services/oauth2/token') && typeof init?.body === 'string') {
      tokenRequests.push(new URLSearchParams(init.body))
    }
    return globalThis.fetch(input, init)
  }
  return { fetch, tokenRequests }
}

/** A connection with one jwtBearer flow and a recording fetch. */
export function connect(flow: JwtBearerOptions | undefined, options: ConnectionOptions = {}) {
  const recorder = recordingFetch()
  const conn = new Connection({ fetch: recorder.fetch, flows: [jwtBearer(flow)], ...options })
  return { conn, tokenRequests: recorder.tokenRequests }
}

/** The rejection of `promise`, checked to be an {@link SfAuthError}. */
export async function sfError(promise: Promise<unknown>): Promise<SfAuthError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(SfAuthError)
  return err as SfAuthError
}
