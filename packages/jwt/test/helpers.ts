import { createPrivateKey } from 'node:crypto'
import { Connection, type ConnectionOptions } from '@sfauth/core'
import {
  type ConnectedApp,
  createEmulator,
  DEFAULT_APP,
  DEFAULT_USER,
  type Emulator,
  type EmulatorOptions,
} from '@sfauth/emulator'
import { recordingFetch } from '@sfauth/test-kit'
import { selfSignedCertificate } from '@sfauth/test-kit/x509'
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose'
import { JWT_BEARER_GRANT_TYPE, type JwtBearerOptions, jwtBearer } from '../src/index.js'

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

/** A connection with one jwtBearer flow and a recording fetch. */
export function connect(flow: JwtBearerOptions | undefined, options: ConnectionOptions = {}) {
  const recorder = recordingFetch()
  const conn = new Connection({ fetch: recorder.fetch, flows: [jwtBearer(flow)], ...options })
  return { conn, tokenRequests: recorder.tokenRequests }
}
