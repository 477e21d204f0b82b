import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { describe, expect, it } from 'vitest'
import { main } from '../src/main.js'

describe('the JWT bearer example', () => {
  it('runs against its own emulator when no key file is configured', async () => {
    /** @type {string[]} */
    const lines = []
    const { userInfo, records } = await main({}, (line) => lines.push(line))
    expect(userInfo.id).toBe(DEFAULT_USER.userId)
    expect(records[0]?.Username).toBe(DEFAULT_USER.username)
    expect(lines).toEqual([
      expect.stringMatching(/^Logged in to http:\/\/127\.0\.0\.1:\d+ as user 005/),
      `REST API says the username is ${DEFAULT_USER.username}`,
      'Session expired: signed a new assertion and got a new token',
      'Logged out: the access token is revoked',
    ])
  })

  it('logs in with the key file, client id, username and login URL from the environment', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const emu = createEmulator()
    emu.addApp({
      ...DEFAULT_APP,
      publicKey: /** @type {string} */ (publicKey.export({ type: 'spki', format: 'pem' })),
    })
    const server = await emu.listen()
    const dir = await mkdtemp(join(tmpdir(), 'sfauth-jwt-example-'))
    try {
      const keyFile = join(dir, 'server.key')
      await writeFile(keyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 })
      /** @type {string[]} */
      const lines = []
      const { records } = await main(
        {
          SF_PRIVATE_KEY_FILE: keyFile,
          SF_CLIENT_ID: DEFAULT_APP.clientId,
          SF_USERNAME: DEFAULT_USER.username,
          SF_LOGIN_URL: server.url,
        },
        (line) => lines.push(line),
      )
      expect(records[0]?.Username).toBe(DEFAULT_USER.username)
      expect(lines[0]).toBe(
        `Logged in to ${server.url} as user ${DEFAULT_USER.userId} of org ${DEFAULT_USER.orgId}`,
      )
      expect(emu.count('token', 'urn:ietf:params:oauth:grant-type:jwt-bearer')).toBe(1)
      expect(emu.count('revoke')).toBe(1)
    } finally {
      await server.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('says which variables are missing', async () => {
    await expect(main({ SF_PRIVATE_KEY_FILE: 'server.key' }, () => {})).rejects.toThrow(
      'SF_PRIVATE_KEY_FILE is set, so set SF_CLIENT_ID and SF_USERNAME too',
    )
  })
})
