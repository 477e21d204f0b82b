import { createHmac } from 'node:crypto'
import { Connection, SfAuthError } from '@sfauth/core'
import type { Emulator } from '@sfauth/emulator'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { describe, expect, it } from 'vitest'
import { OAuth2 } from '../src/index.js'
import { CLIENT_SECRET, newOAuth2, PASSWORD, REDIRECT_URI, USERNAME } from './helpers.js'

const ctx = useMswEmulator()

/** A man in the middle: the emulator's token responses, edited before the client reads them. */
function tampering(emu: Emulator, edit: (body: Record<string, string>) => void): typeof fetch {
  return async (input, init) => {
    const res = await emu.fetch(input, init)
    if (!new URL(res.url || String(input)).pathname.endsWith('/oauth2/token') || !res.ok) return res
    const body = (await res.json()) as Record<string, string>
    edit(body)
    return new Response(JSON.stringify(body), { status: res.status, headers: res.headers })
  }
}

describe('token response signature', () => {
  it('is Base64(HMAC-SHA256(secret, id + issued_at)) and accepted when it matches', async () => {
    const res = await newOAuth2().authenticate(USERNAME, PASSWORD)
    const expected = createHmac('sha256', CLIENT_SECRET)
      .update(res.id + res.issued_at)
      .digest('base64')
    expect(res.signature).toBe(expected)
  })

  it('rejects a response whose id was swapped (standalone)', async () => {
    const oauth2 = newOAuth2({
      fetch: tampering(ctx.emu, (body) => {
        body.id = body.id?.replace(/005\w+$/, '005000000000000AAA') as string
      }),
    })
    const err = await oauth2.authenticate(USERNAME, PASSWORD).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'ERR_SIGNATURE' })
    expect((err as Error).message).not.toContain(CLIENT_SECRET)
  })

  it('rejects a tampered signature through the connection and keeps no session', async () => {
    const conn = new Connection({
      oauth2: newOAuth2(),
      fetch: tampering(ctx.emu, (body) => {
        // Change the first character whatever it is (replacing it with 'A' would do nothing 1 time in 64).
        body.signature = `${body.signature?.startsWith('A') ? 'B' : 'A'}${body.signature?.slice(1)}`
      }),
    })
    await expect(conn.login(USERNAME, PASSWORD)).rejects.toMatchObject({
      errorCode: 'ERR_SIGNATURE',
    })
    expect(conn.accessToken).toBeUndefined()
  })

  it('is skipped cleanly when the client has no secret', async () => {
    ctx.emu.addApp({
      clientId: 'PUBLIC_CLIENT',
      clientSecret: 'server-side-secret',
      requireSecret: false,
    })
    const oauth2 = new OAuth2({
      clientId: 'PUBLIC_CLIENT',
      fetch: tampering(ctx.emu, (body) => {
        body.signature = 'not-a-signature'
      }),
    })
    const res = await oauth2.authenticate(USERNAME, PASSWORD)
    expect(ctx.emu.isValidAccessToken(res.access_token)).toBe(true)
  })

  it('is checked on refresh too', async () => {
    const oauth2 = newOAuth2()
    const code = ctx.emu.approve({
      clientId: oauth2.clientId,
      username: USERNAME,
      redirectUri: REDIRECT_URI,
      scope: 'api refresh_token',
    })
    const res = await oauth2.requestToken(code)
    const tampered = newOAuth2({
      fetch: tampering(ctx.emu, (body) => {
        body.issued_at = String(Number(body.issued_at) + 1)
      }),
    })
    await expect(tampered.refreshToken(res.refresh_token as string)).rejects.toMatchObject({
      errorCode: 'ERR_SIGNATURE',
    })
  })
})
