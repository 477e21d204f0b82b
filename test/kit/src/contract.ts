import type { Connection, UserInfo } from '@sfauth/core'
import { createEmulator, DEFAULT_USER, type Emulator } from '@sfauth/emulator'
import { describe, expect, it } from 'vitest'
import { type ExpectedError, rejection } from './rejection.js'

/** How many callers share one renewal in the suite: the same figure for every flow. */
export const CONCURRENT_CALLERS = 50

/** A REST call the emulator answers for any live session with the session's user. */
const QUERY = 'query?q=SELECT+Id+FROM+User+LIMIT+1'
type QueryResult = { records: { Id: string }[] }

/** A Node-style callback as the connection's methods take it. */
export type NodeCallback<T> = (err: Error | null, result?: T) => void

/** How a flow renews an expired session, or that it cannot. */
export type Renewal =
  | {
      /** The renewal calls the emulator has seen, e.g. `emu.count('token', 'refresh_token')`. */
      calls(emu: Emulator): number
      /** `'rotated'`: the token response carries a new refresh token the connection keeps; `'none'`: no refresh token at all. */
      refreshToken: 'rotated' | 'none'
      /** The field of the `'refresh'` listener's response that holds the new session (default `access_token`; SOAP: `sessionId`). */
      tokenField?: string
    }
  | {
      /** The documented failure of a request once the session has expired (the flow cannot renew). */
      fails: ExpectedError
    }

/** What differs from one flow to the next; everything else is the contract. */
export interface FlowUnderTest {
  /** The flow's name in the test titles. */
  name: string
  /** A fresh emulator for every test, with the flow's users and apps (default `createEmulator()`). */
  emulator?: () => Emulator
  /** The user the flow logs in as (default the emulator's `DEFAULT_USER`). */
  user?: { userId: string; orgId: string }
  /** A new connection with this flow that reaches `emu` through `fetch` (and no session yet, unless reuse is the flow). */
  connect(emu: Emulator, fetch: typeof globalThis.fetch): Connection | Promise<Connection>
  /** Logs in with the promise form (`login`, `authorize`, or `identity()` for a reused session). */
  login(conn: Connection, emu: Emulator): Promise<unknown>
  /** The same with the Node callback form; omit when the flow has none. */
  loginWithCallback?(conn: Connection, emu: Emulator, callback: NodeCallback<UserInfo>): void
  /** A login Salesforce refuses (wrong password, secret, key or session), with the promise form. */
  refusedLogin(conn: Connection, emu: Emulator): Promise<unknown>
  /** What the refused login rejects with (its Salesforce code and status). */
  refused: ExpectedError
  /** The same with the Node callback form; omit when the flow has none. */
  refusedLoginWithCallback?(conn: Connection, emu: Emulator, callback: NodeCallback<UserInfo>): void
  /** What must never show: passwords, client secrets, private keys. The session's access and refresh tokens are added by the suite. */
  secrets: string[]
  /** How the flow renews, or how it documents that it cannot. */
  renewal: Renewal
  /** The logout calls the emulator has seen, e.g. `emu.count('revoke')`. */
  logoutCalls(emu: Emulator): number
}

async function inspect(value: unknown): Promise<string> {
  // A dynamic import keeps the suite loadable where node:util is not (it is in vitest's edge-runtime).
  const util = await import('node:util')
  return util.inspect(value, { depth: 10, showHidden: false })
}

/** Every way an error can show text: message, stack, JSON and inspect. */
async function shownError(err: unknown): Promise<string> {
  const e = err as Error
  return [String(e?.message), String(e?.stack), JSON.stringify(err), await inspect(err)].join('\n')
}

function callback<T>(start: (cb: NodeCallback<T>) => void): Promise<[Error | null, T | undefined]> {
  return new Promise((resolve) => start((err, result) => resolve([err, result])))
}

/**
 * The contract every flow package passes, under its Node and its edge test configuration: log in,
 * use the session, expire it, renew it exactly once for {@link CONCURRENT_CALLERS} concurrent
 * callers (or fail as documented), report the renewal through `'refresh'`, stop after one retry
 * when the renewed session is refused too, end the session on the server at logout, show no
 * secret anywhere, and take Node-style callbacks.
 *
 * Every test gets a fresh emulator, reached through the connection's `fetch` (no msw, no
 * network), so the suite runs in an edge runtime too.
 *
 * @example
 * testFlow({
 *   name: 'soapLogin()',
 *   connect: (emu, fetch) => new Connection({ fetch, flows: [soapLogin()] }),
 *   login: (conn) => conn.login(username, password),
 *   refusedLogin: (conn) => conn.login(username, 'wrong'),
 *   refused: { errorCode: 'INVALID_LOGIN', status: 500 },
 *   secrets: [password],
 *   renewal: { calls: (emu) => emu.count('soap-login'), refreshToken: 'none' },
 *   logoutCalls: (emu) => emu.count('soap-logout'),
 * })
 */
export function testFlow(flow: FlowUnderTest): void {
  const user = flow.user ?? DEFAULT_USER
  const fresh = async () => {
    const emu = (flow.emulator ?? (() => createEmulator()))()
    const conn = await flow.connect(emu, emu.fetch)
    return { emu, conn }
  }
  const loggedIn = async () => {
    const { emu, conn } = await fresh()
    await flow.login(conn, emu)
    return { emu, conn }
  }
  const query = (conn: Connection) => conn.request<QueryResult>(QUERY)

  describe(`flow contract: ${flow.name}`, () => {
    it('logs in to a session the emulator accepts, and requests work on it', async () => {
      const { emu, conn } = await loggedIn()
      expect(conn.userInfo).toMatchObject({ id: user.userId, organizationId: user.orgId })
      expect(conn.instanceUrl).toMatch(/^https?:\/\//)
      expect(emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
      expect((await query(conn)).records[0]?.Id).toBe(user.userId)
    })

    it('rejects a login Salesforce refuses with an SfAuthError, and holds no session', async () => {
      const { emu, conn } = await fresh()
      const before = conn.accessToken
      const err = await rejection(flow.refusedLogin(conn, emu), flow.refused)
      expect(err.status).toBeGreaterThanOrEqual(400)
      // A connection that had no session gets none; one that reuses a session keeps it.
      expect(conn.accessToken).toBe(before)
    })

    const { renewal } = flow
    if ('calls' in renewal) {
      it(`renews an expired session exactly once for ${CONCURRENT_CALLERS} concurrent callers and says so once`, async () => {
        const { emu, conn } = await loggedIn()
        const first = { accessToken: conn.accessToken, refreshToken: conn.refreshToken }
        const before = renewal.calls(emu)
        const refreshes: [string, Record<string, unknown>][] = []
        conn.on('refresh', (accessToken, res) => refreshes.push([accessToken, res as never]))
        emu.expireSessions()

        const results = await Promise.all(
          Array.from({ length: CONCURRENT_CALLERS }, () => query(conn)),
        )

        expect(results.map((r) => r.records[0]?.Id)).toEqual(
          Array(CONCURRENT_CALLERS).fill(user.userId),
        )
        expect(renewal.calls(emu) - before).toBe(1)
        expect(conn.accessToken).not.toBe(first.accessToken)
        expect(emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
        expect(refreshes).toHaveLength(1)
        const [accessToken, res] = refreshes[0] as [string, Record<string, unknown>]
        expect(accessToken).toBe(conn.accessToken)
        expect(res[renewal.tokenField ?? 'access_token']).toBe(conn.accessToken)
        if (renewal.refreshToken === 'rotated') {
          expect(res.refresh_token).toEqual(expect.any(String))
          expect(res.refresh_token).not.toBe(first.refreshToken)
          expect(conn.refreshToken).toBe(res.refresh_token)
        } else {
          expect(res.refresh_token).toBeUndefined()
          expect(conn.refreshToken).toBeUndefined()
        }
      })

      it('renews when only its own session was expired (expireSession)', async () => {
        const { emu, conn } = await loggedIn()
        const before = renewal.calls(emu)
        emu.expireSession(conn.accessToken as string)
        expect((await query(conn)).records[0]?.Id).toBe(user.userId)
        expect(renewal.calls(emu) - before).toBe(1)
      })

      it('retries once and gives up when the renewed session is refused too (no loop)', async () => {
        const { emu, conn } = await loggedIn()
        // Every session the flow gets from now on is dead on arrival.
        conn.on('refresh', (accessToken) => emu.expireSession(accessToken))
        const before = { renewals: renewal.calls(emu), data: emu.count('data') }
        emu.expireSessions()
        await rejection(query(conn), { errorCode: 'INVALID_SESSION_ID', status: 401 })
        expect(renewal.calls(emu) - before.renewals).toBe(1)
        expect(emu.count('data') - before.data).toBe(2)
      })

      it(`conn.fetch renews like request(): ${CONCURRENT_CALLERS} fetch and request callers mixed share one renewal`, async () => {
        const { emu, conn } = await loggedIn()
        const before = renewal.calls(emu)
        emu.expireSessions()
        const results = await Promise.all(
          Array.from({ length: CONCURRENT_CALLERS }, (_, i) =>
            i % 2 === 0
              ? conn.fetch(QUERY).then((res) => res.json() as Promise<QueryResult>)
              : query(conn),
          ),
        )
        expect(results.map((r) => r.records[0]?.Id)).toEqual(
          Array(CONCURRENT_CALLERS).fill(user.userId),
        )
        expect(renewal.calls(emu) - before).toBe(1)
      })

      it('conn.renew() renews now through the flow and resolves to the new access token', async () => {
        const { emu, conn } = await loggedIn()
        const old = conn.accessToken
        const before = renewal.calls(emu)
        const token = await conn.renew()
        expect(token).toBe(conn.accessToken)
        expect(token).not.toBe(old)
        expect(emu.isValidAccessToken(token)).toBe(true)
        expect(renewal.calls(emu) - before).toBe(1)
      })
    } else {
      it(`cannot renew: an expired session fails as documented for all ${CONCURRENT_CALLERS} callers, with no token call`, async () => {
        const { emu, conn } = await loggedIn()
        let refreshed = 0
        conn.on('refresh', () => refreshed++)
        const before = { token: emu.count('token'), soap: emu.count('soap-login') }
        emu.expireSessions()
        const results = await Promise.all(
          Array.from({ length: CONCURRENT_CALLERS }, () => rejection(query(conn), renewal.fails)),
        )
        expect(results).toHaveLength(CONCURRENT_CALLERS)
        expect(emu.count('token')).toBe(before.token)
        expect(emu.count('soap-login')).toBe(before.soap)
        expect(refreshed).toBe(0)
      })
      it('cannot renew: conn.renew() rejects with an SfAuthError and the session is kept', async () => {
        const { emu, conn } = await loggedIn()
        const token = conn.accessToken
        const before = { token: emu.count('token'), soap: emu.count('soap-login') }
        await rejection(conn.renew())
        expect(conn.accessToken).toBe(token)
        expect(emu.count('token')).toBe(before.token)
        expect(emu.count('soap-login')).toBe(before.soap)
      })
    }

    it('logs out: the emulator no longer accepts the session and the connection holds none', async () => {
      const { emu, conn } = await loggedIn()
      const token = conn.accessToken as string
      const instanceUrl = conn.instanceUrl as string
      const before = flow.logoutCalls(emu)
      await conn.logout()
      expect(flow.logoutCalls(emu) - before).toBe(1)
      expect(emu.isValidAccessToken(token)).toBe(false)
      expect(conn.accessToken).toBeUndefined()
      const res = await emu.fetch(`${instanceUrl}/services/data/v64.0/${QUERY}`, {
        headers: { Authorization: `Bearer ${token}` },
      })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual([
        expect.objectContaining({ errorCode: 'INVALID_SESSION_ID' }),
      ])
    })

    it('counts an already dead session as logged out', async () => {
      const { emu, conn } = await loggedIn()
      emu.expireSessions()
      await conn.logout()
      expect(conn.accessToken).toBeUndefined()
    })

    it('shows no secret or whole token in any error, JSON.stringify(conn) or util.inspect(conn)', async () => {
      const { emu, conn } = await loggedIn()
      const secrets = [...flow.secrets, conn.accessToken as string]
      if (conn.refreshToken) secrets.push(conn.refreshToken)
      const shown = [JSON.stringify(conn), await inspect(conn)]

      const refused = await fresh()
      shown.push(
        await shownError(await flow.refusedLogin(refused.conn, refused.emu).catch((e) => e)),
      )
      // A request whose session and every renewal are refused.
      conn.on('refresh', (accessToken) => {
        secrets.push(accessToken)
        emu.expireSession(accessToken)
      })
      emu.expireSessions()
      shown.push(await shownError(await query(conn).catch((e) => e)))
      shown.push(JSON.stringify(conn), await inspect(conn))

      expect(secrets.every((s) => typeof s === 'string' && s.length >= 8)).toBe(true)
      for (const text of shown) for (const secret of secrets) expect(text).not.toContain(secret)
    })

    it('takes Node-style callbacks: logout(cb)', async () => {
      const { emu, conn } = await loggedIn()
      const token = conn.accessToken as string
      const [err] = await callback<void>((cb) => conn.logout(cb))
      expect(err).toBeNull()
      expect(emu.isValidAccessToken(token)).toBe(false)
    })

    const { loginWithCallback, refusedLoginWithCallback } = flow
    if (loginWithCallback) {
      it('takes Node-style callbacks: the login gets (null, userInfo)', async () => {
        const { emu, conn } = await fresh()
        const [err, info] = await callback<UserInfo>((cb) => loginWithCallback(conn, emu, cb))
        expect(err).toBeNull()
        expect(info).toMatchObject({ id: user.userId, organizationId: user.orgId })
        expect(emu.isValidAccessToken(conn.accessToken as string)).toBe(true)
      })
    }
    if (refusedLoginWithCallback) {
      it('takes Node-style callbacks: a refused login gets (SfAuthError)', async () => {
        const { emu, conn } = await fresh()
        const [err, info] = await callback<UserInfo>((cb) =>
          refusedLoginWithCallback(conn, emu, cb),
        )
        await rejection(Promise.reject(err), flow.refused)
        expect(info).toBeUndefined()
      })
    }
  })
}
