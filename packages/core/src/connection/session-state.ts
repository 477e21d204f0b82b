import type { Flow, FlowContext, FlowResult } from '../flow-types.js'
import { maskToken } from '../redact.js'
import type { ClientInfo, Session, UserInfo } from '../types.js'
import type { SessionFields } from './options.js'

/**
 * The session a connection holds, and where it came from: the flow that made it and the way
 * that login renews it. Every change of session goes through {@link SessionState.establish},
 * {@link SessionState.adopt}, {@link SessionState.replace} or {@link SessionState.clear}, and
 * each bumps {@link SessionState.epoch}.
 */
export class SessionState {
  /** The fields held (a token may be missing: only a refresh token, or only an instance URL). */
  fields: Readonly<SessionFields>
  /** The flow that made the current session; asked first to renew it and to log it out. */
  origin: Flow | undefined
  /** How the login that made the session renews it (see {@link FlowResult.renewThis}). */
  renewThis: FlowResult['renewThis']
  /**
   * Counts changes of session. Something that started from one session (a renewal, a store
   * read) compares it with the epoch it started at to learn whether the session changed meanwhile.
   */
  epoch = 0

  constructor(initial: SessionFields = {}) {
    this.fields = { ...initial }
  }

  /** The current session, when there is an access token and an instance URL. */
  session(): Session | undefined {
    const { accessToken, instanceUrl, kind } = this.fields
    if (!accessToken || !instanceUrl) return undefined
    return { ...this.fields, accessToken, instanceUrl, kind: kind ?? 'oauth2' } as Session
  }

  /**
   * The session to renew: the current one, or (with no access token yet) what is known of it,
   * such as a refresh token from the options.
   */
  renewable(): Session {
    return (
      this.session() ?? {
        accessToken: '',
        instanceUrl: this.fields.instanceUrl ?? '',
        refreshToken: this.fields.refreshToken,
        kind: 'oauth2',
      }
    )
  }

  /** A login or an authorization by `flow` made this session. */
  establish(flow: Flow, result: FlowResult): void {
    this.origin = flow
    this.renewThis = result.renewThis
    this.#set(result.session)
  }

  /** A renewal made this session; a login that renews itself may hand over a new way to do so. */
  replace(result: FlowResult): void {
    if (result.renewThis) this.renewThis = result.renewThis
    this.#set(result.session)
  }

  /** A session saved by someone else (a store) becomes this connection's. */
  adopt(session: Session): void {
    this.#set(session)
  }

  /** Who the session belongs to, learnt after the session was made (`identity()`). */
  setUserInfo(userInfo: UserInfo): void {
    this.fields = { ...this.fields, userInfo }
  }

  /** No session any more (after logout). */
  clear(): void {
    this.origin = undefined
    this.renewThis = undefined
    this.fields = {}
    this.epoch++
  }

  #set(session: Session): void {
    this.fields = { ...session }
    this.epoch++
  }
}

/** What the store sync and the renewal read from their connection. */
export interface SessionHost {
  /** The registered flows, in registration order; live. */
  readonly flows: readonly Flow[]
  /** The session held: the one owner of the current access token and the epoch. */
  readonly state: SessionState
  /** A fresh flow context: its `session` is the current one. */
  ctx(): FlowContext
}

/** What {@link safeView} shows of a connection. */
export interface ViewSource {
  loginUrl: string
  version: string
  fields: Readonly<SessionFields>
  client: ClientInfo | undefined
  flows: readonly Flow[]
}

/**
 * A connection's view safe to log or serialise (its `toJSON()` and `util.inspect`): no password,
 * client secret, refresh token or whole access token.
 */
export function safeView({
  loginUrl,
  version,
  fields,
  client,
  flows,
}: ViewSource): Record<string, unknown> {
  return {
    loginUrl,
    version,
    instanceUrl: fields.instanceUrl,
    accessToken: maskToken(fields.accessToken),
    refreshToken: fields.refreshToken ? '[redacted]' : undefined,
    userInfo: fields.userInfo,
    oauth2: client && {
      clientId: client.clientId,
      redirectUri: client.redirectUri,
      loginUrl: client.loginUrl,
      clientSecret: client.clientSecret ? '[redacted]' : undefined,
    },
    flows: flows.map((f) => f.name),
  }
}
