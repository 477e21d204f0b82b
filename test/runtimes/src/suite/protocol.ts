/**
 * What the harness and the smoke suite say to each other over the harness's loopback control
 * server. Shared by both sides, so it holds types and constants only.
 */

/** Everything a runtime needs to run the suite against its own emulator. */
export interface SuiteConfig {
  /** Which runtime this is, as the harness names it (`node20`, `deno`, ...). */
  runtime: string
  /** The emulator's loopback server: login URL and instance URL at once. */
  loginUrl: string
  /** The org's user; OAuth password-style logins send `password + securityToken`. */
  user: { username: string; password: string; securityToken: string }
  /** A connected app for the web server flow (PKCE) with refresh token rotation. */
  web: { clientId: string; clientSecret: string; redirectUri: string }
  /** A connected app that trusts the harness's freshly generated RSA key, and its private key. */
  jwt: { clientId: string; username: string; privateKeyPem: string }
  /** A connected app for the client credentials flow, running as the user. */
  cc: { clientId: string; clientSecret: string }
  /**
   * A connected app for the token exchange (no secret required), the handler the harness
   * registered, and a subject token that handler maps to the user.
   */
  tx: { clientId: string; tokenHandler: string; subjectToken: string; subjectTokenType: string }
  /** Flows to run; the harness may narrow it (`--flow`). */
  flows: string[]
}

/** One step of one flow, as it went. */
export interface StepReport {
  step: string
  ok: boolean
  ms: number
  error?: string
}

/** One flow in one runtime. */
export interface FlowReport {
  flow: string
  ok: boolean
  steps: StepReport[]
}

/** What a runtime posts to the harness once the suite is done. */
export interface SuiteReport {
  runtime: string
  /** Who ran it, in the runtime's own words (`navigator.userAgent`, else the Node version). */
  agent: string
  flows: FlowReport[]
}

/** Control server paths. */
export const CONTROL = {
  config: '/config',
  /** POST: the harness calls `emu.expireSessions()`. */
  expire: '/expire',
  /** POST `{ authorizeUrl }`: the harness approves it as the consent page's Allow button would. */
  approve: '/approve',
  /** GET `?endpoint=token&grantType=...`: `{ count }`, what `emu.count()` says. */
  count: '/count',
  /** POST a {@link SuiteReport}. */
  report: '/report',
  /** The browser's page and the bundle it loads. */
  page: '/',
  bundle: '/suite.js',
} as const
