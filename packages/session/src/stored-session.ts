import { originOf, type Session, SfAuthError, type UserInfo } from '@sfauth/core/flow'
import type { StoredSession } from './store.js'

/** The format version this package writes and reads. */
export const STORED_SESSION_VERSION = 1

/** What a stored value turned out to be. */
export type ReadResult =
  | { status: 'empty' }
  | { status: 'session'; session: Session }
  /** Written by a newer version of this package: not ours to read, nor to delete. */
  | { status: 'newer' }
  /** Corrupt, or something else saved under our key. */
  | { status: 'invalid' }

/**
 * The saved form of `session`: only the fields a session has, copied one by one, so nothing
 * else a caller hung on the object (a password, a client secret) can slip into the store.
 */
export function toStored(session: Session): StoredSession {
  return {
    v: STORED_SESSION_VERSION,
    accessToken: session.accessToken,
    instanceUrl: session.instanceUrl,
    kind: session.kind,
    ...(session.refreshToken ? { refreshToken: session.refreshToken } : {}),
    ...(session.userInfo
      ? {
          userInfo: {
            id: session.userInfo.id,
            organizationId: session.userInfo.organizationId,
            url: session.userInfo.url,
          },
        }
      : {}),
    ...(session.issuedAt !== undefined ? { issuedAt: session.issuedAt } : {}),
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function readUserInfo(value: unknown): UserInfo | undefined | false {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object') return false
  const u = value as Record<string, unknown>
  if (!isNonEmptyString(u.id) || !isNonEmptyString(u.organizationId) || typeof u.url !== 'string')
    return false
  return { id: u.id, organizationId: u.organizationId, url: u.url }
}

/** The instance URL's origin, or `undefined` when it may not carry a token (not https, lightning). */
function readInstanceUrl(value: unknown): string | undefined {
  if (!isNonEmptyString(value)) return undefined
  try {
    return originOf(value, 'stored instanceUrl')
  } catch {
    return undefined
  }
}

const FIELDS = ['v', 'accessToken', 'instanceUrl', 'kind', 'refreshToken', 'issuedAt'] as const

/**
 * The stored fields as plain data, each read exactly once. A driver may hand back a proxy or an
 * object with getters (a custom serializer, a lazy row): a getter that throws, or answers
 * differently on a second read, must not reach the caller as anything but an `SfAuthError`.
 */
function snapshot(data: object): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  try {
    if (Array.isArray(data)) return { v: undefined }
    const record = data as Record<string, unknown>
    for (const name of FIELDS) o[name] = record[name]
    const u = record.userInfo
    if (u !== null && typeof u === 'object') {
      const info = u as Record<string, unknown>
      o.userInfo = { id: info.id, organizationId: info.organizationId, url: info.url }
    } else {
      o.userInfo = u
    }
  } catch (err) {
    // The getter's own message may quote what it failed on (a token): only its kind is kept.
    const kind = err instanceof Error ? err.name : typeof err
    throw new SfAuthError(
      `Session store: the stored session could not be read: reading one of its fields threw (${kind})`,
      { errorCode: 'ERR_STORE' },
    )
  }
  return o
}

/**
 * Checks a value read from a store. Some drivers hand back the JSON text rather than the object,
 * so both are accepted. A bad value is reported, never trusted.
 * @throws {SfAuthError} `ERR_STORE` when reading the value itself throws (a getter, a proxy).
 */
export function fromStored(value: unknown): ReadResult {
  if (value === null || value === undefined || value === '') return { status: 'empty' }
  let data = value
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data)
    } catch {
      return { status: 'invalid' }
    }
  }
  if (typeof data !== 'object' || data === null) return { status: 'invalid' }
  const o = snapshot(data)
  if (typeof o.v === 'number' && Number.isInteger(o.v) && o.v > STORED_SESSION_VERSION) {
    return { status: 'newer' }
  }
  if (o.v !== STORED_SESSION_VERSION) return { status: 'invalid' }
  const instanceUrl = readInstanceUrl(o.instanceUrl)
  const userInfo = readUserInfo(o.userInfo)
  const { accessToken, refreshToken, issuedAt, kind } = o
  if (
    !isNonEmptyString(accessToken) ||
    !instanceUrl ||
    (kind !== 'oauth2' && kind !== 'soap') ||
    (refreshToken !== undefined && !isNonEmptyString(refreshToken)) ||
    (issuedAt !== undefined && !isFiniteNumber(issuedAt)) ||
    userInfo === false
  ) {
    return { status: 'invalid' }
  }
  return {
    status: 'session',
    session: {
      accessToken,
      instanceUrl,
      kind,
      ...(refreshToken ? { refreshToken } : {}),
      ...(userInfo ? { userInfo } : {}),
      ...(isFiniteNumber(issuedAt) ? { issuedAt } : {}),
    },
  }
}
