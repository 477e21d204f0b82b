import { afterEach, describe, expect, it } from 'vitest'
import { type ControlServer, startControl } from '../src/harness/control-server.js'
import { type EmulatorSetup, startEmulator } from '../src/harness/emulator-setup.js'
import { CONTROL } from '../src/suite/protocol.js'

let setup: EmulatorSetup | undefined
let control: ControlServer | undefined
afterEach(async () => {
  await control?.close()
  await setup?.server.close()
})

async function start() {
  setup = await startEmulator()
  control = await startControl(setup.emu, { ...setup.config, runtime: 'test', flows: ['jwt'] })
  return { setup, control }
}

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  })

describe('control server', () => {
  it('serves the configuration and counts emulator calls', async () => {
    const { setup, control } = await start()
    const config = await (await fetch(control.url + CONTROL.config)).json()
    expect(config).toMatchObject({ runtime: 'test', flows: ['jwt'], loginUrl: setup.server.url })
    const count = await fetch(`${control.url}${CONTROL.count}?endpoint=token`)
    expect(await count.json()).toEqual({ count: 0 })
  })

  it('approves only the emulator authorize URL of a registered app and redirect URI', async () => {
    const { setup, control } = await start()
    const { web, loginUrl } = setup.config
    const authorize = new URL(`${loginUrl}/services/oauth2/authorize`)
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: web.clientId,
      redirect_uri: web.redirectUri,
    }).toString()
    const ok = await post(control.url + CONTROL.approve, { authorizeUrl: authorize.href })
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { code: unknown }).code).toEqual(expect.any(String))

    const elsewhere = await post(control.url + CONTROL.approve, {
      authorizeUrl: authorize.href.replace(loginUrl, 'http://127.0.0.1:1'),
    })
    expect(elsewhere.status).toBe(500)
    authorize.searchParams.set('redirect_uri', 'http://127.0.0.1/elsewhere')
    const badRedirect = await post(control.url + CONTROL.approve, { authorizeUrl: authorize.href })
    expect(badRedirect.status).toBe(500)
  })

  it('expires every session on the emulator', async () => {
    const { setup, control } = await start()
    const { loginUrl, web, user } = setup.config
    const res = await fetch(`${loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: web.clientId,
        client_secret: web.clientSecret,
        username: user.username,
        password: user.password + user.securityToken,
      }),
    })
    const { access_token: token } = (await res.json()) as { access_token: string }
    expect(setup.emu.isValidAccessToken(token)).toBe(true)
    expect((await post(control.url + CONTROL.expire, {})).status).toBe(204)
    expect(setup.emu.isValidAccessToken(token)).toBe(false)
  })

  it('hands over the report the suite posts', async () => {
    const { control } = await start()
    const report = { runtime: 'test', agent: 'x', flows: [] }
    expect((await post(control.url + CONTROL.report, report)).status).toBe(204)
    expect(await control.report).toEqual(report)
  })
})
