import { SfAuthError } from '../errors.js'
import type { Flow, FlowContext, FlowResult, GrantParams } from '../flow-types.js'
import { GRANT_HINTS } from '../grant-hints.js'
import type { Session } from '../types.js'

/** What to register when nothing can renew a session. */
export const RENEW_HINT =
  'register a flow that can renew it: new OAuth2({...}) with a refresh token, jwtBearer({ clientId, username, privateKey }), clientCredentials(), or log in with soapLogin()'

const FLOW_MEMBERS = ['login', 'authorize', 'renewSession', 'logout', 'restore', 'persist']

/** Whether `value` looks like a {@link Flow}: a name and at least one thing it can do. */
export function isFlow(value: unknown): value is Flow {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.name === 'string' && FLOW_MEMBERS.some((member) => typeof v[member] === 'function')
  )
}

/** `flows` with `origin` (the flow that made the session) first, the rest in registration order. */
export function byOrigin(flows: readonly Flow[], origin: Flow | undefined): readonly Flow[] {
  return origin ? [origin, ...flows.filter((f) => f !== origin)] : flows
}

/**
 * The first flow that logs in with a username and password.
 * @throws {SfAuthError} `ERR_NO_FLOW`, naming the packages that can.
 */
export function loginFlow(flows: readonly Flow[]): Flow & Required<Pick<Flow, 'login'>> {
  const flow = flows.find((f) => f.login)
  if (!flow?.login) {
    throw new SfAuthError(
      'No registered flow logs in with a username and password: register soapLogin() from @sfauth/soap-login or new OAuth2({...}) from @sfauth/oauth2',
      { errorCode: 'ERR_NO_FLOW' },
    )
  }
  return flow as Flow & Required<Pick<Flow, 'login'>>
}

/**
 * The first flow that answers `grantType` in `authorize()`.
 * @throws {SfAuthError} `ERR_NO_FLOW`, naming the package to register when the grant is known.
 */
export function grantFlow(
  flows: readonly Flow[],
  grantType: string,
): Flow & Required<Pick<Flow, 'authorize'>> {
  const flow = flows.find((f) => f.authorize && f.grantTypes?.includes(grantType))
  if (!flow?.authorize) {
    const hint = GRANT_HINTS[grantType]
    throw new SfAuthError(
      `No registered flow handles grant_type ${grantType}${hint ? `: register ${hint}` : ''}`,
      { errorCode: 'ERR_NO_FLOW' },
    )
  }
  return flow as Flow & Required<Pick<Flow, 'authorize'>>
}

/**
 * Starts the logout of `session` through the first flow (in `flows`' order) that can.
 * @throws {SfAuthError} `ERR_NO_FLOW` when none can.
 */
export function startLogout(
  flows: readonly Flow[],
  ctx: FlowContext,
  session: Session,
): Promise<void> {
  for (const flow of flows) {
    const pending = flow.logout?.(ctx, session)
    if (pending) return pending
  }
  throw new SfAuthError(
    'No registered flow can log this session out: register session() from @sfauth/session, or the flow package that made the session',
    { errorCode: 'ERR_NO_FLOW' },
  )
}

/**
 * Starts a renewal: `renewThis` (the way the login that made the session renews it) when there
 * is one, else the first flow (in `flows`' order) whose `renewSession` can renew `session`.
 * @returns the pending renewal, or `undefined` when nothing can renew.
 */
export function startRenewal(
  flows: readonly Flow[],
  renewThis: FlowResult['renewThis'],
  ctx: FlowContext,
  session: Session,
): Promise<FlowResult> | undefined {
  let pending = renewThis?.(ctx)
  for (const flow of flows) {
    if (pending) break
    pending = flow.renewSession?.(ctx, session)
  }
  return pending
}

/**
 * The error for a session nothing can renew: the expiry that asked for the renewal (its code and
 * status kept), with what to register.
 */
export function cannotRenew(cause: SfAuthError | undefined): SfAuthError {
  const what = cause ? `${cause.message}. ` : 'The connection has no access token. '
  return new SfAuthError(`${what}This connection cannot renew the session: ${RENEW_HINT}`, {
    errorCode: cause?.errorCode ?? 'INVALID_SESSION_ID',
    status: cause?.status ?? 401,
    ...(cause ? { cause } : {}),
  })
}

/** Parses the arguments of `authorize(code, params?)` / `authorize({ grant_type, ... })`. */
export function grantParams(
  codeOrParams: string | GrantParams,
  extra: Record<string, string | undefined> | undefined,
): GrantParams {
  if (typeof codeOrParams === 'string') {
    if (codeOrParams === '') throw new TypeError('authorize(code): code must be a non-empty string')
    return { ...extra, grant_type: 'authorization_code', code: codeOrParams }
  }
  if (codeOrParams && typeof codeOrParams.grant_type === 'string') return codeOrParams
  throw new TypeError('authorize() takes an authorization code or { grant_type, ...params }')
}
