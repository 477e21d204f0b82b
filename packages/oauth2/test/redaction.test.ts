import { inspect } from 'node:util'
import { Connection } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it } from 'vitest'
import { OAuth2 } from '../src/index.js'
import { authorizedConnection, CLIENT_ID, CLIENT_SECRET, newOAuth2 } from './helpers.js'

const ctx = useMswEmulator()

describe('the client secret stays out of logs', () => {
  it('is readable as a property but absent from JSON and inspect output', () => {
    const oauth2 = newOAuth2()
    expect(oauth2.clientSecret).toBe(CLIENT_SECRET)
    const json = JSON.stringify(oauth2)
    expect(json).not.toContain(CLIENT_SECRET)
    expect(JSON.parse(json)).toMatchObject({ clientId: CLIENT_ID, clientSecret: '[redacted]' })
    expect(inspect(oauth2, { depth: 10, showHidden: true })).not.toContain(CLIENT_SECRET)
    expect(Object.keys(oauth2)).not.toContain('clientSecret')
    expect(JSON.stringify({ ...oauth2 })).not.toContain(CLIENT_SECRET)
  })

  it('says nothing of a secret that was never given', () => {
    expect(JSON.parse(JSON.stringify(newOAuth2({ clientSecret: undefined })))).not.toHaveProperty(
      'clientSecret',
    )
  })

  it('is absent, with the tokens, from a connection that holds the flow', async () => {
    const conn = await authorizedConnection(ctx.emu)
    const refreshToken = conn.refreshToken as string
    const accessToken = conn.accessToken as string
    for (const text of [JSON.stringify(conn), inspect(conn, { depth: 10 })]) {
      expect(text).not.toContain(CLIENT_SECRET)
      expect(text).not.toContain(refreshToken)
      expect(text).not.toContain(accessToken)
    }
  })

  it('is what the connection passes as client information to other flows', () => {
    const conn = new Connection({ oauth2: newOAuth2() })
    expect(conn.oauth2?.clientSecret).toBe(CLIENT_SECRET)
  })
})

describe('URLs with credentials (never kept, never echoed)', () => {
  it.each([
    ['redirectUri', 'https://admin:hunter2-in-url@app.example.com/callback'],
    ['redirectUri', 'myapp://admin:hunter2-in-url@callback'],
    // Without '//': the URL parser reads the same userinfo.
    ['redirectUri', 'https:admin:hunter2-in-url@app.example.com/callback'],
    ['redirectUri', 'https:/admin:hunter2-in-url@app.example.com/callback'],
    ['redirectUri', 'https:\\admin:hunter2-in-url@app.example.com/callback'],
    ['loginUrl', 'https:admin:hunter2-in-url@login.salesforce.com'],
    ['loginUrl', 'https://admin:hunter2-in-url@login.salesforce.com'],
    ['tokenServiceUrl', 'https://admin:hunter2-in-url@login.salesforce.com/services/oauth2/token'],
  ])('a %s with user:password@ is refused with a TypeError that does not echo it', (name, url) => {
    let err: unknown
    try {
      new OAuth2({ clientId: CLIENT_ID, [name]: url })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(TypeError)
    expect(`${String(err)}${inspect(err, { depth: 10 })}`).not.toContain('hunter2-in-url')
  })
})
