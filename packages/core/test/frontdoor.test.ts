import { inspect } from 'node:util'
import { createEmulator, type Emulator } from '@sfauth/emulator'
import { rejection } from '@sfauth/test-kit'
import { describe, expect, it } from 'vitest'
import { FrontdoorUrl, frontdoorUrl } from '../src/frontdoor.js'
import { Connection } from '../src/index.js'
import { client, password, passwordFlow, username } from './helpers.js'

const INSTANCE = 'https://acme.my.salesforce.com'

async function loggedIn(emu: Emulator = createEmulator()) {
  const conn = new Connection({ fetch: emu.fetch, oauth2: client, flows: [passwordFlow()] })
  await conn.login(username, password)
  return { emu, conn }
}

/** A browser's visit: one request, redirects not followed; the session cookie it was given. */
async function visit(emu: Emulator, url: string) {
  const res = await emu.fetch(url, { redirect: 'manual' })
  const sid = /^sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1]
  return { location: res.headers.get('location'), sid }
}

/** The emulator with the Single Access UI Bridge API answering `answer` instead. */
function answering(answer: () => Response): Emulator {
  const emu = createEmulator()
  const handle = emu.fetch
  emu.fetch = (input, init) => {
    const url = new Request(input, init).url
    return url.endsWith('/services/oauth2/singleaccess')
      ? Promise.resolve(answer())
      : handle(input, init)
  }
  return emu
}

describe('frontdoorUrl(conn, { path })', () => {
  it('answers a URL that logs a browser in once, landing on the path', async () => {
    const { emu, conn } = await loggedIn()
    const door = await frontdoorUrl(conn, { path: '/lightning/setup/SetupOneHome/home' })
    expect(door).toBeInstanceOf(FrontdoorUrl)
    const url = new URL(door.url)
    expect(url.origin).toBe(INSTANCE)
    expect(url.pathname).toBe('/secur/frontdoor.jsp')
    expect(url.searchParams.get('startURL')).toBe('/lightning/setup/SetupOneHome/home')

    const first = await visit(emu, door.url)
    expect(first.location).toBe('/lightning/setup/SetupOneHome/home')
    expect(first.sid).toBeTruthy()
    const again = await visit(emu, door.url)
    expect(again.sid).toBeUndefined()
    expect(emu.count('singleaccess')).toBe(1)
  })

  it('lets Salesforce choose the landing page without a path', async () => {
    const { conn } = await loggedIn()
    const door = await frontdoorUrl(conn)
    expect(new URL(door.url).searchParams.get('startURL')).toBe('/lightning/page/home')
  })

  it('renews an expired session once and asks again, as request() does', async () => {
    const { emu, conn } = await loggedIn()
    const before = conn.accessToken
    emu.expireSessions()
    const door = await frontdoorUrl(conn)
    expect(new URL(door.url).pathname).toBe('/secur/frontdoor.jsp')
    expect(conn.accessToken).not.toBe(before)
    expect(emu.count('token', 'password')).toBe(2)
    expect(emu.count('singleaccess')).toBe(2)
  })

  it('shows the URL masked everywhere but .url', async () => {
    const { conn } = await loggedIn()
    const door = await frontdoorUrl(conn)
    const otp = new URL(door.url).searchParams.get('otp') as string
    expect(otp.length).toBeGreaterThan(20)
    const shown = [String(door), `${door}`, JSON.stringify(door), inspect(door), inspect({ door })]
    for (const text of shown) {
      expect(text).toContain(`${INSTANCE}/secur/frontdoor.jsp`)
      expect(text).not.toContain(otp.slice(0, 20))
      expect(text).not.toContain(encodeURIComponent(otp).slice(0, 20))
    }
    expect(Object.keys(door)).toEqual([])
  })

  it('refuses a path that is not on the instance before any call', async () => {
    const { emu, conn } = await loggedIn()
    for (const path of [
      'https://evil.example/',
      '//evil.example/x',
      'lightning/page/home',
      '/\\evil',
    ]) {
      await expect(frontdoorUrl(conn, { path })).rejects.toThrow(TypeError)
    }
    expect(emu.count('singleaccess')).toBe(0)
  })

  it('rejects ERR_NO_SESSION without a session', async () => {
    await rejection(frontdoorUrl(new Connection()), { errorCode: 'ERR_NO_SESSION' })
  })

  it('keeps Salesforce’s refusal: code, status, message', async () => {
    const emu = answering(() =>
      Response.json(
        { error: 'invalid_request', error_description: 'redirect_uri must be a relative path' },
        { status: 400 },
      ),
    )
    const { conn } = await loggedIn(emu)
    await rejection(frontdoorUrl(conn), { errorCode: 'invalid_request', status: 400 })
  })

  it('never puts an answer’s URL in an error, whatever is wrong with it', async () => {
    const secret =
      'https://acme.my.salesforce.com/secur/frontdoor.jsp?otp=00DOTPSECRETVALUE1234567890'
    const bodies = [
      () => new Response(`frontdoor_uri=${secret}`, { status: 200 }),
      () => Response.json({ frontdoor_uri: secret.replace('https:', 'http:') }),
      () => Response.json({ frontdoor_uri: 42, echo: secret }),
    ]
    for (const body of bodies) {
      const { conn } = await loggedIn(answering(body))
      const err = await rejection(frontdoorUrl(conn), {
        errorCode: 'ERR_INVALID_RESPONSE',
        status: 200,
      })
      for (const text of [err.message, String(err.stack), JSON.stringify(err), inspect(err)]) {
        expect(text).not.toContain('OTPSECRETVALUE')
      }
    }
  })
})
