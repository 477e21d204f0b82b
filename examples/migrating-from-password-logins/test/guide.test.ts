import { readdirSync, readFileSync } from 'node:fs'
import { SfAuthError } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER, type EmulatorServer } from '@sfauth/emulator'
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as afterClientCredentials from '../src/after-client-credentials.js'
import * as afterJwtBearer from '../src/after-jwt-bearer.js'
import * as beforeOAuth2Password from '../src/before-oauth2-password.js'
import * as beforeSoapLogin from '../src/before-soap-login.js'
import { whoAmI } from '../src/unchanged.js'

const GUIDE = readFileSync(
  new URL('../../../docs/migrating-from-password-logins.md', import.meta.url),
  'utf8',
)
const SRC = new URL('../src/', import.meta.url)
const INTEGRATION_APP = { clientId: 'integration-app', clientSecret: 'integration-app-secret' }

describe('the guide shows the code that runs here', () => {
  const included = [
    ...GUIDE.matchAll(
      /<!-- file: examples\/migrating-from-password-logins\/src\/([\w-]+\.ts) -->\n```ts\n([\s\S]*?)```/g,
    ),
  ].map((m) => [m[1], m[2]] as const)

  it('includes every example file, each exactly as it is', () => {
    const files = readdirSync(SRC)
      .filter((f) => f.endsWith('.ts'))
      .sort()
    expect(included.map(([name]) => name).sort()).toEqual(files)
    for (const [name, code] of included) {
      expect(code, name).toBe(readFileSync(new URL(name ?? '', SRC), 'utf8'))
    }
  })
})

describe('before and after, against the emulator playing 2026 and 2027 orgs', () => {
  let org2026: EmulatorServer
  let org2027: EmulatorServer
  let privateKey: string
  const password = {
    SF_USERNAME: DEFAULT_USER.username,
    SF_PASSWORD: DEFAULT_USER.password,
    SF_SECURITY_TOKEN: DEFAULT_USER.securityToken,
    SF_CLIENT_ID: DEFAULT_APP.clientId,
    SF_CLIENT_SECRET: DEFAULT_APP.clientSecret ?? '',
  }

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256', { extractable: true })
    privateKey = await exportPKCS8(keys.privateKey)
    // The org-side steps of the guide: an External Client App with the certificate (here its
    // public key), the integration user pre-authorised, and a run-as user for client credentials.
    const app = {
      ...INTEGRATION_APP,
      externalClientApp: true,
      publicKey: await exportSPKI(keys.publicKey),
      preApprovedUsers: [DEFAULT_USER.username],
      clientCredentialsUser: DEFAULT_USER.username,
    }
    org2026 = await createEmulator().listen(0)
    org2027 = await createEmulator({
      blockUsernamePasswordFlow: true,
      soapLoginDisabled: true,
      apps: [{ ...DEFAULT_APP }, app],
    }).listen(0)
  })
  afterAll(async () => {
    await org2026?.close()
    await org2027?.close()
  })

  it('before: SOAP login works in a 2026 org and is refused in 2027, with the way out', async () => {
    const conn = await beforeSoapLogin.connect({ SF_LOGIN_URL: org2026.url, ...password })
    expect(await whoAmI(conn)).toBe(DEFAULT_USER.username)
    const err = await beforeSoapLogin
      .connect({ SF_LOGIN_URL: org2027.url, ...password })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SfAuthError)
    expect(err).toMatchObject({ errorCode: 'INVALID_OPERATION', status: 500 })
    expect((err as Error).message).toContain('docs/migrating-from-password-logins.md')
  })

  it('before: the password grant works in a 2026 org and is refused in 2027, with the way out', async () => {
    const conn = await beforeOAuth2Password.connect({ SF_LOGIN_URL: org2026.url, ...password })
    expect(await whoAmI(conn)).toBe(DEFAULT_USER.username)
    const err = await beforeOAuth2Password
      .connect({ SF_LOGIN_URL: org2027.url, ...password })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ errorCode: 'invalid_grant', status: 400 })
    expect((err as Error).message).toContain('@sfauth/jwt')
  })

  it('after: JWT bearer serves the same user in the 2027 org, through an External Client App', async () => {
    const conn = await afterJwtBearer.connect({
      SF_LOGIN_URL: org2027.url,
      SF_CLIENT_ID: INTEGRATION_APP.clientId,
      SF_USERNAME: DEFAULT_USER.username,
      SF_PRIVATE_KEY: privateKey,
    })
    expect(conn.userInfo?.id).toBe(DEFAULT_USER.userId)
    expect(await whoAmI(conn)).toBe(DEFAULT_USER.username)
  })

  it('after: client credentials serve the run-as user in the 2027 org', async () => {
    const conn = await afterClientCredentials.connect({
      SF_MY_DOMAIN_URL: org2027.url,
      SF_CLIENT_ID: INTEGRATION_APP.clientId,
      SF_CLIENT_SECRET: INTEGRATION_APP.clientSecret,
    })
    expect(await whoAmI(conn)).toBe(DEFAULT_USER.username)
  })
})
