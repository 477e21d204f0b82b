import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createEmulator, type EmulatorServer } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { createApp } from './app.js'
import { readConfig } from './config.js'

/** Options of {@link start}. */
export interface StartOptions {
  /** Configuration variables (SF_LOGIN_URL, SF_CLIENT_ID, ...); default `process.env`. */
  env?: Record<string, string | undefined>
  /** Overrides PORT; 0 picks a free port. */
  port?: number
}

/** A running example. */
export interface RunningExample {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** Where users log in: the emulator's loopback server, or the org's login URL. */
  loginUrl: string
  /** Stops the app (and the emulator it started). */
  close(): Promise<void>
}

/** Client ID of the connected app the example registers on its emulator. */
export const EMULATOR_CLIENT_ID = 'sfauth-example-express-web-server'

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()))
    server.closeAllConnections()
  })
}

/**
 * Starts the example on 127.0.0.1. Without SF_CLIENT_ID it also starts the emulator's loopback
 * server and registers a connected app whose callback is this server's `/oauth2/callback`.
 */
export async function start(options: StartOptions = {}): Promise<RunningExample> {
  const config = readConfig(options.env ?? process.env)
  const server = createServer()
  const port = await listen(server, options.port ?? config.port)
  const url = `http://127.0.0.1:${port}`
  const redirectUri = config.salesforce?.redirectUri ?? `${url}/oauth2/callback`

  let emulator: EmulatorServer | undefined
  let oauth2: OAuth2
  if (config.salesforce) {
    oauth2 = new OAuth2({ ...config.salesforce, redirectUri })
  } else {
    const emu = createEmulator()
    try {
      emulator = await emu.listen()
    } catch (err) {
      await closeServer(server)
      throw err
    }
    const clientSecret = randomBytes(32).toString('base64url')
    emu.addApp({ clientId: EMULATOR_CLIENT_ID, clientSecret, redirectUris: [redirectUri] })
    oauth2 = new OAuth2({
      clientId: EMULATOR_CLIENT_ID,
      clientSecret,
      redirectUri,
      loginUrl: emulator.url,
    })
  }
  server.on('request', createApp(oauth2))

  return {
    url,
    loginUrl: oauth2.loginUrl,
    async close() {
      await closeServer(server)
      await emulator?.close()
    },
  }
}
