import { Connection } from '@sfauth/core'
import type { FlowUnderTest } from '@sfauth/test-kit'
import { session } from '../src/index.js'
import { newEmulator, passwordToken, SECRETS, soapSession, USER } from './helpers.js'

/** A session Salesforce does not know, for the refused "login" (identity()). */
const DEAD = '00DgK0000sfAuTH!not-a-session-salesforce-issued'

const reuse = {
  emulator: newEmulator,
  secrets: SECRETS,
  // session() reuses what it is given: it has no way to get a new session.
  renewal: { fails: { errorCode: 'INVALID_SESSION_ID', status: 401 } },
  login: (conn: Connection) => conn.identity(),
  // The identity URL answers a dead session with 403 Bad_OAuth_Token, as Salesforce does.
  refused: { errorCode: 'Bad_OAuth_Token', status: 403 },
}

/** session() reusing an OAuth access token, as the contract suite drives it. */
export const accessTokenReuse: FlowUnderTest = {
  ...reuse,
  name: 'session() reusing an access token',
  user: USER,
  async connect(_emu, fetch) {
    const token = await passwordToken(undefined, fetch)
    return new Connection({
      fetch,
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      flows: [session()],
    })
  },
  refusedLogin: (conn, emu) =>
    new Connection({
      fetch: emu.fetch,
      instanceUrl: conn.instanceUrl,
      accessToken: DEAD,
      flows: [session()],
    }).identity(),
  logoutCalls: (emu) => emu.count('revoke'),
}

/** session() reusing a SOAP session ID and server URL, as the contract suite drives it. */
export const sessionIdReuse: FlowUnderTest = {
  ...reuse,
  name: 'session() reusing a session ID',
  user: USER,
  async connect(_emu, fetch) {
    const { serverUrl, sessionId } = await soapSession(undefined, fetch)
    return new Connection({ fetch, serverUrl, sessionId, flows: [session()] })
  },
  refusedLogin: (conn, emu) =>
    new Connection({
      fetch: emu.fetch,
      serverUrl: conn.instanceUrl,
      sessionId: DEAD,
      flows: [session()],
    }).identity(),
  logoutCalls: (emu) => emu.count('soap-logout'),
}
