import type { Connection } from '@sfauth/core'
import type { OAuth2 } from '@sfauth/oauth2'
import type { Target } from './target.js'

/** The demo's steps, one per seed scenario, in the order they run. */
export type StepId =
  | 'soap-login'
  | 'oauth2-password'
  | 'web-server'
  | 'jwt-bearer'
  | 'client-credentials'
  | 'password-retired'
  | 'session-id'
  | 'access-token'
  | 'renewal'
  | 'fleet'
  | 'logout'

/** Connections the steps made, for the steps that reuse, renew and log out their sessions. */
export interface DemoState {
  soap?: Connection
  password?: Connection
  web?: { conn: Connection; oauth2: OAuth2 }
  jwt?: Connection
  clientCredentials?: Connection
  sessionId?: Connection
  accessToken?: Connection
  renewed?: Connection
}

/** What a step shows in the report. Tokens are masked by the report, never printed whole. */
export interface StepOutcome {
  /** The package (or call) that did the work. */
  flow: string
  userId?: string
  orgId?: string
  instanceUrl?: string
  token?: string
  renewals?: number
  /** One more line for what the columns cannot say. */
  detail?: string
}

export interface Step {
  id: StepId
  title: string
  /** Steps whose sessions this one reuses; `SF_ONLY` runs them too. */
  needs?: readonly StepId[]
  /** Why the step cannot run against this target, or `undefined` when it can. */
  unavailable(target: Target, state: DemoState): string | undefined
  run(target: Target, state: DemoState, log: (line: string) => void): Promise<StepOutcome>
}

/** A SOQL query for the session's own user: proof that Salesforce accepts the session. */
export async function queryOwnUser(conn: Connection, userId: string | undefined): Promise<string> {
  const where = userId ? ` WHERE Id = '${userId}'` : ' LIMIT 1'
  const result = await conn.request<{ records: { Id: string }[] }>(
    `query?q=${encodeURIComponent(`SELECT Id, Username FROM User${where}`)}`,
  )
  const id = result.records[0]?.Id
  if (!id) throw new Error('the query for the session’s own user found nothing')
  return id
}

/** The report columns of a logged-in connection. */
export function outcomeOf(flow: string, conn: Connection, detail?: string): StepOutcome {
  return {
    flow,
    userId: conn.userInfo?.id,
    orgId: conn.userInfo?.organizationId,
    instanceUrl: conn.instanceUrl,
    token: conn.accessToken,
    renewals: 0,
    ...(detail ? { detail } : {}),
  }
}
