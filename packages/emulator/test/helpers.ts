import type { IncomingMessage } from 'node:http'
import { DEFAULT_APP, DEFAULT_USER, type Emulator } from '../src/index.js'

export const LOGIN = 'https://login.salesforce.com'
export const MY_DOMAIN = 'https://acme.my.salesforce.com'
export const CALLBACK = 'http://localhost:3000/oauth2/callback'

/** POSTs a form to the emulator the way every client does. */
export function postForm(
  emu: Emulator,
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return emu.fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  })
}

export function token(
  emu: Emulator,
  fields: Record<string, string>,
  origin = LOGIN,
  headers: Record<string, string> = {},
): Promise<Response> {
  return postForm(emu, `${origin}/services/oauth2/token`, fields, headers)
}

export const appCredentials = {
  client_id: DEFAULT_APP.clientId,
  client_secret: DEFAULT_APP.clientSecret!,
}

/** The default user's password grant, as a client sends it (password + security token). */
export const passwordFields = {
  grant_type: 'password',
  ...appCredentials,
  username: DEFAULT_USER.username,
  password: DEFAULT_USER.password + DEFAULT_USER.securityToken,
}

export function passwordLogin(emu: Emulator, origin = LOGIN): Promise<Response> {
  return token(emu, passwordFields, origin)
}

/** Reads a node:http(s) response to its end, for tests that talk to a listening server without fetch. */
export function readAnswer(res: IncomingMessage): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let body = ''
    res.setEncoding('utf8')
    res.on('data', (chunk: string) => {
      body += chunk
    })
    res.on('error', reject)
    res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
  })
}

/** A live access token for the default user. */
export async function accessToken(emu: Emulator): Promise<string> {
  const body = (await (await passwordLogin(emu)).json()) as { access_token: string }
  return body.access_token
}

/** Asserts Salesforce's OAuth error shape and returns nothing, so tests read as one line. */
export async function expectOAuthError(
  response: Response,
  error: string,
  description: string,
): Promise<void> {
  const { expect } = await import('vitest')
  expect(response.status).toBe(400)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(await response.json()).toEqual({ error, error_description: description })
}

export async function hmacSignature(secret: string, message: string): Promise<string> {
  const { createHmac } = await import('node:crypto')
  return createHmac('sha256', secret).update(message).digest('base64')
}

export function soapLoginBody(username: string, password: string): string {
  const xmlText = (v: string) =>
    v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return `<?xml version="1.0" encoding="utf-8" ?>
<env:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"
    xmlns:urn="urn:partner.soap.sforce.com">
  <env:Header>
    <urn:CallOptions><urn:client>sfauth-test</urn:client></urn:CallOptions>
  </env:Header>
  <env:Body>
    <n1:login xmlns:n1="urn:partner.soap.sforce.com">
      <n1:username>${xmlText(username)}</n1:username>
      <n1:password>${xmlText(password)}</n1:password>
    </n1:login>
  </env:Body>
</env:Envelope>`
}

export function soapLogoutBody(sessionId: string): string {
  return `<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header><SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>${sessionId}</sessionId></SessionHeader></se:Header><se:Body><logout xmlns="urn:partner.soap.sforce.com"/></se:Body></se:Envelope>`
}

export function soap(emu: Emulator, url: string, body: string): Promise<Response> {
  return emu.fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=UTF-8', SOAPAction: 'login' },
    body,
  })
}
