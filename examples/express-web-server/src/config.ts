/** Where the example logs users in: a real org (from the environment) or the local emulator. */
export interface ExampleConfig {
  /** Port to listen on (127.0.0.1); 0 picks a free one. */
  port: number
  /** Set when SF_CLIENT_ID is: the connected app of a real org. Unset: the emulator. */
  salesforce?: {
    loginUrl: string
    clientId: string
    clientSecret?: string
    redirectUri?: string
  }
}

const DEFAULT_PORT = 3000

function optional(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

/**
 * Reads SF_LOGIN_URL, SF_CLIENT_ID, SF_CLIENT_SECRET, SF_REDIRECT_URI and PORT. Without
 * SF_CLIENT_ID the example runs against the emulator, so a stray SF_LOGIN_URL alone is a mistake
 * worth stopping for rather than silently ignoring.
 */
export function readConfig(env: Record<string, string | undefined>): ExampleConfig {
  const rawPort = optional(env.PORT)
  const port = rawPort === undefined ? DEFAULT_PORT : Number(rawPort)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got ${JSON.stringify(rawPort)}`)
  }
  const clientId = optional(env.SF_CLIENT_ID)
  const loginUrl = optional(env.SF_LOGIN_URL)
  const clientSecret = optional(env.SF_CLIENT_SECRET)
  const redirectUri = optional(env.SF_REDIRECT_URI)
  if (!clientId) {
    if (loginUrl || clientSecret || redirectUri) {
      throw new Error(
        'SF_CLIENT_ID is required with SF_LOGIN_URL / SF_CLIENT_SECRET / SF_REDIRECT_URI (leave all unset to use the emulator)',
      )
    }
    return { port }
  }
  return {
    port,
    salesforce: {
      loginUrl: loginUrl ?? 'https://login.salesforce.com',
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      ...(redirectUri ? { redirectUri } : {}),
    },
  }
}
