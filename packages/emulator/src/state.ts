import { SigningKey } from './id-token.js'
import { newRecordId, randomString } from './ids.js'
import type {
  ConnectedApp,
  EmulatorOptions,
  EmulatorOrganization,
  EmulatorUser,
  TokenExchangeHandler,
} from './types.js'

/**
 * Sessions die after this long without use, the default org session timeout.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.admin_sessions.htm
 */
export const SESSION_SECONDS_VALID = 7200

/** At the sixth refresh token for one app and user, the oldest is revoked (Help 000205876). */
const DEFAULT_MAX_APPROVALS = 5

/** More than 3,600 logins per user per hour answer LOGIN_RATE_EXCEEDED (Help 000381578). */
const DEFAULT_LOGINS_PER_HOUR = 3600

const HOUR_MS = 60 * 60 * 1000

/**
 * A single-use frontdoor URL lives this long unless spent. Salesforce says only "short-lived";
 * the figure is the emulator's choice.
 */
export const FRONTDOOR_OTP_MS = 2 * 60 * 1000

/** Authorization codes live about 15 minutes. */
const CODE_LIFETIME_MS = 15 * 60 * 1000

/** A user with every id filled in. */
export interface StoredUser extends EmulatorUser {
  userId: string
  orgId: string
  email: string
  fullName: string
}

/** An access token or a SOAP session id; Salesforce treats both as the same kind of session. */
export interface Session {
  token: string
  user: StoredUser
  /** The connected app it was issued to; SOAP sessions have none. */
  clientId?: string
  scope: string
  instanceUrl: string
  /** Identity URL handed out with the session (its origin is the login host it came from). */
  idUrl: string
  issuedAt: number
  lastUsed: number
  /** Set for a password-expired SOAP login: the session only allows setPassword(). */
  restricted?: boolean
  /** A browser login (as after multi-factor authentication), not an API login. */
  highAssurance?: boolean
  family?: RefreshFamily
}

/** One chain of rotated refresh tokens and every access token it produced. */
export interface RefreshFamily {
  current: string
  accessTokens: Set<string>
  user: StoredUser
  clientId: string
  scope: string
  revoked: boolean
  /** Clock time of issue, to find the oldest approval. */
  createdAt: number
  /** Clock time of issue or of the last refresh, for the app's refresh-token idle timeout. */
  lastUsed: number
  /** Whether its sessions are high assurance (the chain began with a browser login). */
  highAssurance?: boolean
}

/** A single-use frontdoor URL's one-time password, made by `/services/oauth2/singleaccess`. */
export interface FrontdoorOtp {
  session: Session
  startUrl: string
  expiresAt: number
}

export interface AuthorizationCode {
  clientId: string
  redirectUri: string
  user: StoredUser
  scope: string
  codeChallenge?: string
  codeChallengeMethod: string
  nonce?: string
  expiresAt: number
}

/** Proof that the authorize page's login form succeeded, carried to the consent form. */
export interface LoginTicket {
  user: StoredUser
  clientId: string
  expiresAt: number
}

/** Everything an emulator remembers. */
export class EmulatorState {
  readonly users = new Map<string, StoredUser>()
  readonly apps = new Map<string, ConnectedApp>()
  readonly sessions = new Map<string, Session>()
  /** Every refresh token ever issued, current or rotated out, maps to its chain so replays show. */
  readonly families = new Map<string, RefreshFamily>()
  readonly codes = new Map<string, AuthorizationCode>()
  readonly tickets = new Map<string, LoginTicket>()
  /** Unspent one-time passwords of single-use frontdoor URLs. */
  readonly otps = new Map<string, FrontdoorOtp>()
  readonly signingKey = new SigningKey()
  /** Refresh tokens whose refresh request is being processed right now. */
  readonly refreshesInFlight = new Set<string>()
  /** Token exchange handlers by name, in the order they were added. */
  readonly tokenHandlers = new Map<string, TokenExchangeHandler>()
  /** Recent login times per lowercased username, for the hourly login limit. */
  readonly loginTimes = new Map<string, number[]>()
  readonly maxApprovals: number
  readonly loginsPerHour: number
  readonly instanceUrl: string
  readonly strictJwtLifetime: boolean
  readonly cors: boolean
  readonly blockUsernamePasswordFlow: boolean
  readonly soapLoginDisabled: boolean
  readonly requireHighAssurance: boolean
  readonly organization: EmulatorOrganization
  /** Seconds a session lives without use. */
  readonly sessionSeconds: number
  readonly now: () => number
  delayMs: number

  constructor(options: EmulatorOptions, defaults: { users: EmulatorUser[]; apps: ConnectedApp[] }) {
    this.instanceUrl = (options.instanceUrl ?? 'https://acme.my.salesforce.com').replace(/\/+$/, '')
    this.strictJwtLifetime = options.strictJwtLifetime ?? false
    this.cors = options.cors ?? false
    this.blockUsernamePasswordFlow = options.blockUsernamePasswordFlow ?? false
    this.soapLoginDisabled = options.soapLoginDisabled ?? false
    this.requireHighAssurance = options.requireHighAssurance ?? false
    this.organization = { ...options.organization }
    this.sessionSeconds = options.sessionSecondsValid ?? SESSION_SECONDS_VALID
    this.now = options.now ?? Date.now
    this.delayMs = options.delayMs ?? 0
    this.maxApprovals = options.maxApprovalsPerApp ?? DEFAULT_MAX_APPROVALS
    this.loginsPerHour = options.loginsPerHour ?? DEFAULT_LOGINS_PER_HOUR
    for (const user of options.users ?? defaults.users) this.addUser(user)
    for (const app of options.apps ?? defaults.apps) this.addApp(app)
  }

  addUser(user: EmulatorUser): void {
    if (!user.username || typeof user.password !== 'string') {
      throw new TypeError('An emulator user needs a username and a password')
    }
    // Users share one org unless they name their own, as in a real org.
    const firstOrg = this.users.values().next().value?.orgId
    this.users.set(user.username.toLowerCase(), {
      ...user,
      userId: user.userId ?? newRecordId('005'),
      orgId: user.orgId ?? firstOrg ?? newRecordId('00D'),
      email: user.email ?? user.username,
      fullName: user.fullName ?? user.username,
    })
  }

  addApp(app: ConnectedApp): void {
    if (!app.clientId) throw new TypeError('A connected app needs a clientId')
    this.apps.set(app.clientId, { ...app })
  }

  findUser(username: string | undefined): StoredUser | undefined {
    return username ? this.users.get(username.toLowerCase()) : undefined
  }

  /** The live session behind a token, or undefined when it never existed or has timed out. */
  peekSession(token: string | undefined): Session | undefined {
    const session = token ? this.sessions.get(token) : undefined
    if (!session) return undefined
    if (this.now() - session.lastUsed > this.sessionSeconds * 1000) {
      this.endSession(session.token)
      return undefined
    }
    return session
  }

  /** Like {@link peekSession}, but an API call restarts the inactivity timer, as in Salesforce. */
  useSession(token: string | undefined): Session | undefined {
    const session = this.peekSession(token)
    if (session) session.lastUsed = this.now()
    return session
  }

  createSession(init: Omit<Session, 'token' | 'issuedAt' | 'lastUsed'>): Session {
    const token = `${init.user.orgId.slice(0, 15)}!AQ${randomString(94)}`
    const now = this.now()
    const session: Session = { ...init, token, issuedAt: now, lastUsed: now }
    this.sessions.set(token, session)
    session.family?.accessTokens.add(token)
    return session
  }

  endSession(token: string): boolean {
    const session = this.sessions.get(token)
    if (!session) return false
    session.family?.accessTokens.delete(token)
    return this.sessions.delete(token)
  }

  /**
   * A new refresh token chain (an approval). When the user already holds the maximum for this
   * app, the oldest live chains are revoked first.
   */
  createFamily(
    user: StoredUser,
    clientId: string,
    scope: string,
    highAssurance = false,
  ): RefreshFamily {
    const live = [...new Set(this.families.values())]
      .filter((f) => !f.revoked && f.clientId === clientId && f.user.userId === user.userId)
      .sort((a, b) => a.createdAt - b.createdAt)
    for (const oldest of live.slice(0, Math.max(0, live.length - this.maxApprovals + 1))) {
      this.revokeFamily(oldest)
    }
    const family: RefreshFamily = {
      current: newRefreshToken(),
      accessTokens: new Set(),
      user,
      clientId,
      scope,
      revoked: false,
      createdAt: this.now(),
      lastUsed: this.now(),
      ...(highAssurance ? { highAssurance } : {}),
    }
    this.families.set(family.current, family)
    return family
  }

  /**
   * Records a login for the hourly limit; false when the user has already logged in
   * `loginsPerHour` times in the last hour (the login is then refused and not recorded).
   */
  recordLogin(user: StoredUser): boolean {
    const key = user.username.toLowerCase()
    const since = this.now() - HOUR_MS
    const recent = (this.loginTimes.get(key) ?? []).filter((t) => t > since)
    if (recent.length >= this.loginsPerHour) {
      this.loginTimes.set(key, recent)
      return false
    }
    recent.push(this.now())
    this.loginTimes.set(key, recent)
    return true
  }

  /** Issues the one-time password of a single-use frontdoor URL, for `FRONTDOOR_OTP_MS`. */
  issueOtp(session: Session, startUrl: string): string {
    const value = `${session.user.orgId.slice(0, 15)}!AQ${randomString(100)}`
    this.otps.set(value, { session, startUrl, expiresAt: this.now() + FRONTDOOR_OTP_MS })
    return value
  }

  rotate(family: RefreshFamily): void {
    family.current = newRefreshToken()
    this.families.set(family.current, family)
  }

  /** Kills a refresh token chain and every access token it produced. */
  revokeFamily(family: RefreshFamily): void {
    family.revoked = true
    for (const token of family.accessTokens) this.sessions.delete(token)
    family.accessTokens.clear()
  }

  issueCode(code: Omit<AuthorizationCode, 'expiresAt'>): string {
    const value = `aPrx${randomString(60)}`
    this.codes.set(value, { ...code, expiresAt: this.now() + CODE_LIFETIME_MS })
    return value
  }

  issueTicket(user: StoredUser, clientId: string): string {
    const value = randomString(40)
    this.tickets.set(value, { user, clientId, expiresAt: this.now() + CODE_LIFETIME_MS })
    return value
  }
}

function newRefreshToken(): string {
  return `5Aep861${randomString(80)}`
}
