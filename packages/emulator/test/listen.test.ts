import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_APP, DEFAULT_USER, type EmulatorServer } from '../src/index.js'
import { passwordFields, readAnswer, soapLoginBody } from './helpers.js'

const emu = createEmulator()
let server: EmulatorServer

beforeAll(async () => {
  server = await emu.listen()
})
afterAll(() => server.close())

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields),
})

describe('listen()', () => {
  it('serves on 127.0.0.1 and is its own instance', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${server.url}/services/oauth2/token`, form(passwordFields))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as Record<string, string>
    expect(body.instance_url).toBe(server.url)
    expect(body.id).toBe(`${server.url}/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`)
    const data = await fetch(`${server.url}/services/data/v64.0/query?q=SELECT+Id+FROM+User`, {
      headers: { Authorization: `Bearer ${body.access_token}` },
    })
    expect(data.status).toBe(200)
  })

  it('counts as a My Domain for client credentials', async () => {
    const res = await fetch(
      `${server.url}/services/oauth2/token`,
      form({
        grant_type: 'client_credentials',
        client_id: DEFAULT_APP.clientId,
        client_secret: DEFAULT_APP.clientSecret!,
      }),
    )
    expect(res.status).toBe(200)
  })

  it('answers SOAP with a serverUrl on the server itself', async () => {
    const res = await fetch(`${server.url}/services/Soap/u/64.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=UTF-8', SOAPAction: 'login' },
      body: soapLoginBody(
        DEFAULT_USER.username,
        DEFAULT_USER.password + DEFAULT_USER.securityToken,
      ),
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain(`<serverUrl>${server.url}/services/Soap/u/64.0/00D`)
  })

  it('passes error statuses and bodies through untouched', async () => {
    const error = await fetch(`${server.url}/services/oauth2/token`, form({ grant_type: 'nope' }))
    expect(error.status).toBe(400)
    expect(await error.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'grant type not supported',
    })
  })

  it('answers a plain node:http client (no fetch involved)', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>(
      (resolve, reject) => {
        const req = httpRequest(`${server.url}/services/oauth2/userinfo`, (res) => {
          readAnswer(res).then(resolve, reject)
        })
        req.on('error', reject)
        req.end()
      },
    )
    expect(status).toBe(403)
    expect(body).toBe('Missing_OAuth_Token')
  })

  it('closes', async () => {
    const other = await createEmulator().listen()
    await other.close()
    await expect(fetch(`${other.url}/services/data`)).rejects.toThrow()
  })
})
