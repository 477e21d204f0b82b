import type { Flow, FlowContext, Session, TokenResponse } from '@sfauth/core/flow'
import { callTokenEndpoint, tokenResult } from '@sfauth/core/flow'
import { createEmulator, type Emulator } from '@sfauth/emulator'

export const LOGIN_URL = 'https://login.salesforce.com'
export const REDIRECT_URI = 'http://127.0.0.1:3000/oauth2/callback'

/** A user and app of our own, with secrets distinctive enough to scan stored data for. */
export const USER = {
  username: 'session-owner@example.com',
  password: 'Pa55word-NeverStored-7f3a',
  securityToken: 'SECTOKENNEVERSTORED9d2e',
  userId: '005gK0000SessionQA',
  orgId: '00DgK0000SessOrgQA',
}
export const APP = {
  clientId: '3MVG9sessionPackageTestClient000000000000000000000000000000000000000000',
  clientSecret: 'CLIENTSECRETNEVERSTORED4b8c0000000000000000000000000000000000000',
  redirectUris: [REDIRECT_URI],
  rotateRefreshTokens: true,
}
/** Everything that must never reach a store. */
export const SECRETS = [
  USER.password,
  USER.securityToken,
  USER.password + USER.securityToken,
  APP.clientSecret,
]

export function newEmulator(): Emulator {
  return createEmulator({ users: [USER], apps: [APP] })
}

async function postForm(
  url: string,
  fields: Record<string, string>,
  send: typeof fetch = fetch,
): Promise<Response> {
  return send(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  })
}

/** An OAuth token obtained elsewhere (here: the password grant), as a saved token would be. */
export async function passwordToken(
  loginUrl = LOGIN_URL,
  send: typeof fetch = fetch,
): Promise<TokenResponse> {
  const res = await postForm(
    `${loginUrl}/services/oauth2/token`,
    {
      grant_type: 'password',
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      username: USER.username,
      password: USER.password + USER.securityToken,
    },
    send,
  )
  if (!res.ok) throw new Error(`password grant failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as TokenResponse
}

/** An authorization code, as the consent page would hand one to the callback. */
export function approve(emu: Emulator): string {
  return emu.approve({
    clientId: APP.clientId,
    username: USER.username,
    redirectUri: REDIRECT_URI,
    scope: 'api refresh_token',
  })
}

/** A SOAP session ID and server URL obtained elsewhere (a custom link, another SOAP client). */
export async function soapSession(
  loginUrl = LOGIN_URL,
  send: typeof fetch = fetch,
): Promise<{ serverUrl: string; sessionId: string }> {
  const res = await send(`${loginUrl}/services/Soap/u/64.0`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=UTF-8', SOAPAction: 'login' },
    body:
      '<?xml version="1.0" encoding="utf-8"?>' +
      '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>' +
      '<n1:login xmlns:n1="urn:partner.soap.sforce.com">' +
      `<n1:username>${USER.username}</n1:username>` +
      `<n1:password>${USER.password}${USER.securityToken}</n1:password>` +
      '</n1:login></env:Body></env:Envelope>',
  })
  const text = await res.text()
  // Two leaves of a known envelope; a test needs no XML parser for that.
  const serverUrl = /<serverUrl>([^<]+)<\/serverUrl>/.exec(text)?.[1]
  const sessionId = /<sessionId>([^<]+)<\/sessionId>/.exec(text)?.[1]
  if (!res.ok || !serverUrl || !sessionId) throw new Error(`SOAP login failed: ${res.status}`)
  return { serverUrl, sessionId }
}

/** What Salesforce says of a token on the REST API right now: the HTTP status of a query. */
export async function restStatus(instanceUrl: string, token: string): Promise<number> {
  const res = await fetch(`${instanceUrl}/services/data/v64.0/query?q=SELECT+Id+FROM+User`, {
    headers: { Authorization: `Bearer ${token}` },
  })
  return res.status
}

/** The same check for a refresh token: can it still get an access token? */
export async function refreshStatus(loginUrl: string, refreshToken: string): Promise<number> {
  const res = await postForm(`${loginUrl}/services/oauth2/token`, {
    grant_type: 'refresh_token',
    client_id: APP.clientId,
    client_secret: APP.clientSecret,
    refresh_token: refreshToken,
  })
  return res.status
}

/**
 * A minimal honest renewing flow for tests that must not depend on @sfauth/oauth2: the
 * authorization code grant and the refresh token grant through core's shared token call.
 */
export function refreshTokenFlow(): Flow {
  const creds = { client_id: APP.clientId, client_secret: APP.clientSecret }
  return {
    name: 'test-refresh-token-flow',
    grantTypes: ['authorization_code'],
    async authorize(ctx, params) {
      const res = await callTokenEndpoint(ctx, { ...params, ...creds, redirect_uri: REDIRECT_URI })
      return tokenResult(res)
    },
    renewSession(ctx: FlowContext, session: Session) {
      const refreshToken = ctx.session?.refreshToken ?? session.refreshToken
      if (!refreshToken) return undefined
      return callTokenEndpoint(ctx, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        ...creds,
      }).then((res) => tokenResult(res, ctx.session ?? session))
    },
  }
}

/** A store that records what it was given and can hand back anything, for the edge cases. */
export function recordingStore(initial: Record<string, unknown> = {}) {
  const data = new Map<string, unknown>(Object.entries(initial))
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: unknown) => {
      data.set(key, value)
    },
    removeItem: (key: string) => {
      data.delete(key)
    },
  }
}

/** A REST call the emulator answers for any live session. */
export const QUERY = 'query?q=SELECT+Id+FROM+User'
