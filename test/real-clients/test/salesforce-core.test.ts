/**
 * @salesforce/core 8.31.3, the Salesforce CLI's auth library, at its defaults against the
 * emulator's loopback servers: every way the CLI logs in (`sf org login jwt`, `web`,
 * `access-token`, `sfdx-url`), refresh on expiry, the auth URL round trip, and the kind and name
 * of org it saves. HOME, the trusted certificate and the CLI's settings come from
 * setup/global.ts. A check failing because of the library itself would stay as a named
 * `it.fails`; none does.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { Socket } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { AuthInfo, Connection, Org, WebOAuthServer } from '@salesforce/core'
import {
  createEmulator,
  DEFAULT_APP,
  DEFAULT_USER,
  type Emulator,
  type EmulatorServer,
} from '@sfauth/emulator'
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approveInPages } from './pages.js'

/** The Salesforce CLI's own connected app and web-login callback (src/webOAuthServer.ts). */
const CLI_APP = 'PlatformCLI'
const CLI_CALLBACK = 'http://localhost:1717/OauthRedirect'

/** Every host the library's process connects to, to prove nothing leaves the machine. */
const destinations: string[] = []
const connect = Socket.prototype.connect
Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
  const [first, second] = args
  const host =
    typeof first === 'object' && first !== null
      ? ((first as { host?: string; path?: string }).host ?? (first as { path?: string }).path)
      : typeof second === 'string'
        ? second
        : 'localhost'
  destinations.push(String(host ?? 'localhost'))
  return (connect as (...a: unknown[]) => Socket).apply(this, args)
} as typeof Socket.prototype.connect

/** Each login path saves under its username, so each uses its own user. */
const JWT_USER = { username: 'jwt@example.com', password: 'jwt-password-1' }
const HUB_USER = { username: 'hub@example.com', password: 'hub-password-1' }

let plain: Emulator
let plainServer: EmulatorServer
let hub: Emulator
let hubServer: EmulatorServer
let keyFile: string

const cliApp = {
  clientId: CLI_APP,
  requireSecret: false,
  redirectUris: [CLI_CALLBACK],
  scopes: ['api', 'web', 'refresh_token'],
}

beforeAll(async () => {
  expect(homedir()).not.toBe(process.env.SFAUTH_REAL_HOME)
  const pair = await generateKeyPair('RS256', { extractable: true })
  keyFile = join(homedir(), 'server.key')
  await writeFile(keyFile, await exportPKCS8(pair.privateKey), { mode: 0o600 })
  plain = createEmulator({
    users: [DEFAULT_USER, JWT_USER],
    apps: [{ ...DEFAULT_APP, publicKey: await exportSPKI(pair.publicKey) }, cliApp],
  })
  plainServer = await plain.listen()
  hub = createEmulator({
    users: [HUB_USER],
    apps: [cliApp],
    organization: { name: 'Globex Hub', edition: 'Enterprise Edition', devHub: true },
  })
  hubServer = await hub.listen(0, {
    tls: {
      key: await readFile(process.env.SFAUTH_TEST_TLS_KEY!, 'utf8'),
      cert: await readFile(process.env.SFAUTH_TEST_TLS_CERT!, 'utf8'),
    },
  })
})

afterAll(async () => {
  await plainServer?.close()
  await hubServer?.close()
})

/** A refresh token for the CLI's app on an emulator, as a finished web login leaves one. */
async function refreshTokenFrom(emu: Emulator, url: string, username: string): Promise<string> {
  const code = emu.approve({
    clientId: CLI_APP,
    username,
    redirectUri: CLI_CALLBACK,
    scope: 'api web refresh_token',
  })
  const res = await fetch(`${url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: CLI_APP,
      redirect_uri: CLI_CALLBACK,
    }),
  })
  const body = (await res.json()) as { refresh_token: string }
  return body.refresh_token
}

describe('@salesforce/core 8.31.3 at its defaults against the emulator', () => {
  it('JWT bearer (sf org login jwt): saves the user, not a Dev Hub, named after the org', async () => {
    const authInfo = await AuthInfo.create({
      username: JWT_USER.username,
      oauth2Options: {
        clientId: DEFAULT_APP.clientId,
        loginUrl: plainServer.url,
        privateKeyFile: keyFile,
      },
    })
    await authInfo.save()
    const fields = authInfo.getFields()
    expect(fields).toMatchObject({
      username: JWT_USER.username,
      orgId: DEFAULT_USER.orgId,
      instanceUrl: plainServer.url,
      isDevHub: false,
    })
    const org = await Org.create({ aliasOrUsername: JWT_USER.username })
    expect(org.getField(Org.Fields.NAME)).toBe('Acme')
    expect(org.getField(Org.Fields.ORG_EDITION)).toBe('Developer Edition')
    expect(org.getField(Org.Fields.IS_SANDBOX)).toBe(false)
    expect(org.getField(Org.Fields.IS_SCRATCH)).toBe(false)
    expect(await org.determineIfDevHubOrg(true)).toBe(false)
    const result = await org
      .getConnection()
      .query<{ Username: string }>('SELECT Username FROM User')
    expect(result.records[0]?.Username).toBe(JWT_USER.username)
  })

  it('web login through its own callback server on port 1717 (sf org login web)', async () => {
    const oauthServer = await WebOAuthServer.create({ oauthConfig: { loginUrl: plainServer.url } })
    await oauthServer.start()
    const authorizeUrl = new URL(oauthServer.getAuthorizationUrl())
    expect(authorizeUrl.searchParams.get('client_id')).toBe(CLI_APP)
    expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(CLI_CALLBACK)
    expect(authorizeUrl.searchParams.get('code_challenge')).toBeTruthy()
    const saved = oauthServer.authorizeAndSave()
    const callback = await approveInPages(
      authorizeUrl.href,
      DEFAULT_USER.username,
      DEFAULT_USER.password,
    )
    expect(`${callback.origin}${callback.pathname}`).toBe(CLI_CALLBACK)
    // The browser lands on the callback and follows its redirect to the success page, which is
    // what lets authorizeAndSave() finish.
    const landing = await fetch(callback)
    expect(landing.url).toMatch(/\/OauthSuccess$/)
    expect(landing.status).toBe(200)
    const authInfo = await saved
    expect(authInfo.getUsername()).toBe(DEFAULT_USER.username)
    expect(authInfo.getFields()).toMatchObject({ orgId: DEFAULT_USER.orgId, isDevHub: false })
    expect(authInfo.getFields(true).refreshToken).toMatch(/^5Aep861/)
  })

  it('renews an expired session of the web login through its refresh token, and retries', async () => {
    const authInfo = await AuthInfo.create({ username: DEFAULT_USER.username })
    const conn = await Connection.create({ authInfo })
    const before = plain.count('token', 'refresh_token')
    plain.expireSessions()
    const result = await conn.query<{ Username: string }>('SELECT Username FROM User')
    expect(result.records[0]?.Username).toBe(DEFAULT_USER.username)
    expect(plain.count('token', 'refresh_token')).toBe(before + 1)
  })

  it('access token (sf org login access-token): finds the username through userinfo and the User record', async () => {
    const login = await fetch(`${plainServer.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: DEFAULT_APP.clientId,
        client_secret: DEFAULT_APP.clientSecret!,
        username: DEFAULT_USER.username,
        password: DEFAULT_USER.password + DEFAULT_USER.securityToken,
      }),
    })
    const { access_token: accessToken } = (await login.json()) as { access_token: string }
    const authInfo = await AuthInfo.create({
      accessTokenOptions: { accessToken, loginUrl: plainServer.url, instanceUrl: plainServer.url },
    })
    expect(authInfo.getFields().username).toBe(DEFAULT_USER.username)
    expect(authInfo.getFields().orgId).toBe(DEFAULT_USER.orgId)
  })

  it('auth URL over https (sf org login sfdx-url), saved as a Dev Hub named after the org', async () => {
    expect(hubServer.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const refreshToken = await refreshTokenFrom(hub, hubServer.url, HUB_USER.username)
    const host = new URL(hubServer.url).host
    const options = AuthInfo.parseSfdxAuthUrl(`force://${CLI_APP}::${refreshToken}@${host}`)
    expect(options.loginUrl).toBe(hubServer.url)
    const authInfo = await AuthInfo.create({ oauth2Options: options })
    await authInfo.save()
    expect(authInfo.getUsername()).toBe(HUB_USER.username)
    expect(authInfo.getFields()).toMatchObject({
      instanceUrl: hubServer.url,
      isDevHub: true,
      name: 'Globex Hub',
      orgEdition: 'Enterprise Edition',
    })
  })

  it('auth URL round trip: getSfdxAuthUrl() logs in again to the same user', async () => {
    const authInfo = await AuthInfo.create({ username: HUB_USER.username })
    const url = authInfo.getSfdxAuthUrl()
    expect(url).toMatch(new RegExp(`^force://${CLI_APP}::5Aep861[^@]+@127\\.0\\.0\\.1:\\d+$`))
    const again = await AuthInfo.create({ oauth2Options: AuthInfo.parseSfdxAuthUrl(url) })
    expect(again.getUsername()).toBe(HUB_USER.username)
    expect(again.getFields().instanceUrl).toBe(hubServer.url)
  })

  it('sent nothing off the machine', () => {
    expect(destinations.length).toBeGreaterThan(0)
    for (const host of destinations) expect(host).toMatch(/^(127\.0\.0\.1|localhost|::1)$/)
  })
})
