// What a code block in the docs may use without declaring it: values the text around the block
// gives the reader (an app's client ID, the connection made above, an Express app, a test's
// emulator). Every import a block needs is in the block itself, so that it can be copied.
import type { Connection } from '@sfauth/core'
import type { Emulator } from '@sfauth/emulator'
import type { OAuth2 } from '@sfauth/oauth2'
import type { Redis } from 'ioredis'
import type { Storage } from 'unstorage'

/** The parts of an Express request and response the OAuth examples use. */
interface ExpressRequest {
  query: Record<string, string>
  session: { oauth: { state: string; codeVerifier: string; nonce?: string } }
}
interface ExpressResponse {
  redirect(url: string): void
  send(body: string): void
}

declare global {
  const conn: Connection
  const oauth2: OAuth2
  const emu: Emulator
  const redis: Redis
  const app: {
    get(path: string, handler: (req: ExpressRequest, res: ExpressResponse) => unknown): void
  }
  const req: ExpressRequest
  const clientId: string
  const clientSecret: string
  const redirectUri: string
  const username: string
  const password: string
  const securityToken: string
  const accessToken: string
  const refreshToken: string
  const token: string
  const code: string
  const jobId: string
  const assertion: string
  /** A PEM private key. */
  const pem: string
  const signal: AbortSignal
  /** The session store made above (an unstorage `Storage`). */
  const store: Storage
  /** Where the app keeps a session (a database, a secret store). */
  function save(...session: (string | undefined)[]): Promise<void>
  /** Where a streamed body goes (a file, a parser). */
  function write(chunk: Uint8Array): void
  /** A token from your identity provider (Okta, Auth0, Entra ID). */
  function getIdTokenFromMyIdp(): Promise<string>
  /** Your own check of a token from your identity provider; its claims when valid. */
  function verifyWithMyIssuer(token: string): Promise<{ email: string } | undefined>
}
