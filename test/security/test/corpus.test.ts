import { readFileSync } from 'node:fs'
import { Connection, SfAuthError } from '@sfauth/core'
import { OAuth2, parseAuthorizationCallback } from '@sfauth/oauth2'
import { soapLogin } from '@sfauth/soap-login'
import { afterEach, describe, expect, it } from 'vitest'
import {
  CLIENT_ID,
  CLIENT_SECRET,
  encodings,
  expectNoSecret,
  INSTANCE_URL,
  LOGIN_URL,
  stubFetch,
  USERNAME,
} from './helpers.js'

interface Entry {
  file: string
  target: 'token' | 'soap' | 'rest' | 'callback'
  status?: number
  type?: string
  state?: string
  expect: 'session' | 'reject'
  errorCode?: string
  messageIncludes?: string
  messageExcludes?: string
  note?: string
}

const corpus = new URL('../corpus/', import.meta.url)
const entries = JSON.parse(readFileSync(new URL('index.json', corpus), 'utf8')) as Entry[]

/** The password every replayed login sends: it holds what each escaping changes. */
const PASSWORD = 'pa"ss&w<o>rd %Secret+1/é'
const ACCESS_TOKEN = '00D000000000001!AQ0AQ.corpus-access-token'

function fill(text: string): string {
  const e = encodings(PASSWORD)
  return text
    .replaceAll('{{SECRET}}', PASSWORD)
    .replaceAll('{{SECRET_URL_XML}}', (e.url as string).replaceAll('&', '&amp;'))
    .replaceAll('{{SECRET_URL}}', e.url as string)
    .replaceAll('{{SECRET_JSON}}', e.json as string)
    .replaceAll('{{SECRET_XML}}', e.xml as string)
    .replaceAll('{{TOKEN}}', ACCESS_TOKEN)
}

/** Sends `body` as the answer of the entry's target and returns what the call settled with. */
async function replay(
  target: Entry['target'],
  body: string,
  status = 200,
  type = 'application/json',
  state?: string,
): Promise<{ value?: unknown; error?: unknown; conn?: Connection }> {
  if (target === 'callback') {
    try {
      return { value: parseAuthorizationCallback(body, { state }) }
    } catch (error) {
      return { error }
    }
  }
  const { fetch } = stubFetch(
    () => new Response(body, { status, headers: { 'Content-Type': type } }),
  )
  const conn =
    target === 'token'
      ? new Connection({
          fetch,
          oauth2: new OAuth2({
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            loginUrl: LOGIN_URL,
          }),
        })
      : target === 'soap'
        ? new Connection({ fetch, flows: [soapLogin()] })
        : new Connection({ fetch, accessToken: ACCESS_TOKEN, instanceUrl: INSTANCE_URL })
  try {
    const value =
      target === 'rest' ? await conn.request('limits') : await conn.login(USERNAME, PASSWORD)
    return { value, conn }
  } catch (error) {
    return { error, conn }
  }
}

function checkCommon(error: unknown): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.prototype).not.toHaveProperty('polluted')
  if (error === undefined) return
  expect(error).toBeInstanceOf(SfAuthError)
  expectNoSecret(error, PASSWORD)
  expectNoSecret(error, CLIENT_SECRET)
  expectNoSecret(error, ACCESS_TOKEN)
}

afterEach(() => {
  delete (Object.prototype as Record<string, unknown>).polluted
})

describe('stored corpus', () => {
  for (const entry of entries) {
    it(`${entry.target}: ${entry.file}`, async () => {
      const body = fill(readFileSync(new URL(entry.file, corpus), 'utf8'))
      const { value, error, conn } = await replay(
        entry.target,
        body,
        entry.status,
        entry.type,
        entry.state,
      )
      checkCommon(error)
      if (entry.expect === 'session') {
        expect(error).toBeUndefined()
        expect(conn?.accessToken).toMatch(/^00D000000000001!AQ0AQ\./)
        expect(conn?.refreshToken).toBeUndefined()
        expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
        return
      }
      expect(error).toBeInstanceOf(SfAuthError)
      const err = error as SfAuthError
      if (entry.errorCode) expect(err.errorCode).toBe(entry.errorCode)
      if (entry.messageIncludes) expect(err.message).toContain(entry.messageIncludes)
      if (entry.messageExcludes) expect(err.message).not.toContain(entry.messageExcludes)
      // A login that failed holds no session (a REST call keeps the one it was given).
      if (entry.target === 'token' || entry.target === 'soap')
        expect(conn?.accessToken).toBeUndefined()
    })
  }
})

describe('generated corpus (too large to store)', () => {
  it('token: a 5 MB whitespace-heavy error body rejects with a short message', async () => {
    const body = `${' \n\t'.repeat(1_700_000)}denied`
    const { error } = await replay('token', body, 400, 'text/plain')
    checkCommon(error)
    expect((error as SfAuthError).message.length).toBeLessThan(500)
  })

  it('rest: a 5 MB whitespace-heavy HTML error page rejects with a short message', async () => {
    const body = `<html><head><title>${' \n'.repeat(2_500_000)}Oops</title></head></html>`
    const { error } = await replay('rest', body, 500, 'text/html')
    checkCommon(error)
    expect((error as SfAuthError).message.length).toBeLessThan(500)
  })

  it('soap: a 50 MB sessionId is refused, not kept', async () => {
    const body = readFileSync(new URL('soap-prototype-keys.xml', corpus), 'utf8').replace(
      '00D000000000001!AQ0AQ.soap-corpus',
      'A'.repeat(50 * 1024 * 1024),
    )
    const { error, conn } = await replay('soap', body, 200, 'text/xml')
    checkCommon(error)
    expect((error as SfAuthError).errorCode).toBe('ERR_INVALID_RESPONSE')
    expect(conn?.accessToken).toBeUndefined()
  })

  it('soap: 100,000 nested elements are refused without a stack overflow', async () => {
    const depth = 100_000
    const body = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</soapenv:Body></soapenv:Envelope>`
    const { error, conn } = await replay('soap', body, 200, 'text/xml')
    checkCommon(error)
    expect((error as SfAuthError).errorCode).toBe('ERR_INVALID_RESPONSE')
    expect(conn?.accessToken).toBeUndefined()
  })

  // A token answer read without a cap lets a server make the connection hold 50 MB per token.
  it('token: a 50 MB access_token is refused, not kept', async () => {
    const body = JSON.stringify({
      access_token: 'A'.repeat(50 * 1024 * 1024),
      instance_url: INSTANCE_URL,
      id: `${LOGIN_URL}/id/00D000000000001AAA/005000000000001AAA`,
    })
    const { error, conn } = await replay('token', body, 200, 'application/json')
    expect(error).toBeInstanceOf(SfAuthError)
    expect(conn?.accessToken).toBeUndefined()
  })
})
